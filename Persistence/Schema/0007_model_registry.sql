-- The model registry (MLflow is the reference) and the datasets its versions are trained on. Registry/ writes these
-- tables, and appends an audit row (galaxy_audit_append) in the same transaction as every change it makes.

-- Uploaded CSV files, parsed and validated: the features as one float32 block, the labels as their raw text. The same
-- content (sha256 of the uploaded bytes) is stored once.
CREATE TABLE IF NOT EXISTS galaxy_datasets
(
    id            uuid        PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    sha256        text        NOT NULL UNIQUE,
    label_column  text        NOT NULL,
    feature_names text[]      NOT NULL,
    rows          integer     NOT NULL CHECK (rows > 0),
    -- float32 little-endian, rows × features, row-major.
    features      bytea       NOT NULL CHECK (length(features) = 4 * rows * cardinality(feature_names)),
    labels        text[]      NOT NULL CHECK (cardinality(labels) = rows),
    -- {"label": rows with that label}
    class_counts  jsonb       NOT NULL,
    bytes         bigint      NOT NULL,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_galaxy_datasets_created ON galaxy_datasets (created_at, id);

-- latest_version is the last version number handed out (0 before the first): a new version takes the model row's lock
-- to increment it, so concurrent registrations number 1, 2, 3 … without gaps or duplicates.
CREATE TABLE IF NOT EXISTS galaxy_models
(
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    description    text        NOT NULL,
    -- string → string, MLflow's tags
    tags           jsonb       NOT NULL,
    latest_version integer     NOT NULL DEFAULT 0,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- Search by tag is containment (tags @> '{"team": "vision"}').
CREATE INDEX IF NOT EXISTS ix_galaxy_models_tags ON galaxy_models USING gin (tags jsonb_path_ops);

CREATE TABLE IF NOT EXISTS galaxy_model_versions
(
    model_id          uuid        NOT NULL REFERENCES galaxy_models (id),
    version           integer     NOT NULL CHECK (version > 0),
    status            text        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DEPLOYED', 'ROLLED_BACK', 'RETIRED')),
    inputs            integer     NOT NULL CHECK (inputs BETWEEN 1 AND 256),
    hidden            integer     NOT NULL CHECK (hidden BETWEEN 1 AND 256),
    outputs           integer     NOT NULL CHECK (outputs BETWEEN 1 AND 256),
    loss              text        NOT NULL CHECK (loss IN ('MeanSquaredError', 'CrossEntropy')),
    -- float32 little-endian in the kernels' layout (Kernels/MlpArchitecture.cs): W1 | b1 | W2 | b2.
    weights           bytea       NOT NULL CHECK (length(weights) = 4 * (hidden * inputs + hidden + outputs * hidden + outputs)),
    -- {"offsets": [D], "scales": [D]}: the version expects x'[i] = (x[i] − offsets[i]) · scales[i] of raw features.
    preprocessing     jsonb       NOT NULL,
    -- the label of output k, for classifiers; empty for regression
    classes           text[]      NOT NULL,
    feature_names     text[]      NOT NULL,
    metrics           jsonb       NOT NULL,
    training_job_id   uuid        NULL,
    dataset_id        uuid        NULL REFERENCES galaxy_datasets (id) ON DELETE RESTRICT,
    dataset_sha256    text        NULL,
    parent_version    integer     NULL CHECK (parent_version < version),
    -- how the weights came to be: trained, registered, int8, …
    technique         text        NOT NULL,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    status_changed_at timestamptz NOT NULL,
    -- why the last status change was made, as its caller said
    status_reason     text        NULL,
    PRIMARY KEY (model_id, version),
    FOREIGN KEY (model_id, parent_version) REFERENCES galaxy_model_versions (model_id, version)
);

CREATE INDEX IF NOT EXISTS ix_galaxy_model_versions_status ON galaxy_model_versions (model_id, status, version);
CREATE INDEX IF NOT EXISTS ix_galaxy_model_versions_dataset ON galaxy_model_versions (dataset_id) WHERE dataset_id IS NOT NULL;

-- MLflow-style aliases (champion, canary, …): each names one version of its model. "latest" is reserved: it always
-- means the highest version number.
CREATE TABLE IF NOT EXISTS galaxy_model_aliases
(
    model_id   uuid        NOT NULL,
    alias      text        NOT NULL CHECK (alias ~ '^[a-z][a-z0-9_-]{0,31}$' AND alias <> 'latest'),
    version    integer     NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (model_id, alias),
    FOREIGN KEY (model_id, version) REFERENCES galaxy_model_versions (model_id, version)
);

CREATE INDEX IF NOT EXISTS ix_galaxy_model_aliases_version ON galaxy_model_aliases (model_id, version);

-- A version's accuracy on a labelled dataset, with the per-class report (precision, recall, confusion matrix).
CREATE TABLE IF NOT EXISTS galaxy_model_evaluations
(
    id           bigserial        PRIMARY KEY,
    model_id     uuid             NOT NULL,
    version      integer          NOT NULL,
    dataset_id   uuid             NOT NULL REFERENCES galaxy_datasets (id) ON DELETE RESTRICT,
    accuracy     double precision NOT NULL CHECK (accuracy BETWEEN 0 AND 1),
    report       jsonb            NOT NULL,
    evaluated_by text             NOT NULL,
    evaluated_at timestamptz      NOT NULL,
    FOREIGN KEY (model_id, version) REFERENCES galaxy_model_versions (model_id, version)
);

CREATE INDEX IF NOT EXISTS ix_galaxy_model_evaluations_version ON galaxy_model_evaluations (model_id, version, id);
CREATE INDEX IF NOT EXISTS ix_galaxy_model_evaluations_dataset ON galaxy_model_evaluations (dataset_id);
