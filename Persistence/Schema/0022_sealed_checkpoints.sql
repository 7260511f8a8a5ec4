-- Data protection at rest (0011) for training checkpoints: every candidate's parameters, sealed under one data key per
-- job when a key-encryption key is configured; NULL means plaintext (written without a key).
ALTER TABLE galaxy_training_checkpoints ADD COLUMN IF NOT EXISTS data_key_id uuid NULL REFERENCES galaxy_data_keys (id);
