-- Data protection at rest (Registry/Protection): dataset features and labels and model weights are sealed with
-- AES-256-GCM under a data key of their own; each data key is stored here only wrapped (encrypted) by a key-encryption
-- key that the database never holds (configuration, or an HSM/KMS). Rotating the key-encryption key rewraps these rows,
-- not the data. Rows written before encryption was configured keep data_key_id NULL and their plaintext until
-- galaxy-cli data-keys rotate seals them.
CREATE TABLE IF NOT EXISTS galaxy_data_keys
(
    id         uuid        PRIMARY KEY,
    -- which key-encryption key wrapped it
    kek_id     text        NOT NULL,
    -- nonce ‖ tag ‖ ciphertext of the 32-byte key, AES-256-GCM under the key-encryption key
    wrapped    bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    rewrapped_at timestamptz NULL
);

CREATE INDEX IF NOT EXISTS ix_galaxy_data_keys_kek ON galaxy_data_keys (kek_id);

ALTER TABLE galaxy_datasets ADD COLUMN IF NOT EXISTS data_key_id uuid NULL REFERENCES galaxy_data_keys (id);
-- the labels, sealed: a JSON array of strings, encrypted; labels is then empty
ALTER TABLE galaxy_datasets ADD COLUMN IF NOT EXISTS labels_sealed bytea NULL;
-- columns of the upload that looked like personal data and were masked: [{"column", "kind", "line", "action"}]
ALTER TABLE galaxy_datasets ADD COLUMN IF NOT EXISTS personal_data jsonb NOT NULL DEFAULT '[]';
ALTER TABLE galaxy_model_versions ADD COLUMN IF NOT EXISTS data_key_id uuid NULL REFERENCES galaxy_data_keys (id);

-- Sizes are checked on plaintext only; a sealed value is 28 bytes longer (nonce and tag), and authenticated on every read.
ALTER TABLE galaxy_datasets DROP CONSTRAINT IF EXISTS galaxy_datasets_check;
ALTER TABLE galaxy_datasets DROP CONSTRAINT IF EXISTS galaxy_datasets_check1;
ALTER TABLE galaxy_datasets DROP CONSTRAINT IF EXISTS galaxy_datasets_features_size;
ALTER TABLE galaxy_datasets DROP CONSTRAINT IF EXISTS galaxy_datasets_labels_present;
ALTER TABLE galaxy_datasets ADD CONSTRAINT galaxy_datasets_features_size CHECK (
    data_key_id IS NOT NULL OR length(features) = 4 * rows * cardinality(feature_names));
ALTER TABLE galaxy_datasets ADD CONSTRAINT galaxy_datasets_labels_present CHECK (
    CASE WHEN data_key_id IS NULL THEN cardinality(labels) = rows ELSE labels_sealed IS NOT NULL AND cardinality(labels) = 0 END);
ALTER TABLE galaxy_model_versions DROP CONSTRAINT IF EXISTS galaxy_model_versions_check;
ALTER TABLE galaxy_model_versions DROP CONSTRAINT IF EXISTS galaxy_model_versions_weights_size;
ALTER TABLE galaxy_model_versions ADD CONSTRAINT galaxy_model_versions_weights_size CHECK (
    data_key_id IS NOT NULL OR length(weights) = 4 * (hidden * inputs + hidden + outputs * hidden + outputs));

-- The registry's roles read and add data keys; only a rotation (run as the owner) rewraps them.
GRANT SELECT, INSERT ON galaxy_data_keys TO galaxy_silo, galaxy_gateway;
