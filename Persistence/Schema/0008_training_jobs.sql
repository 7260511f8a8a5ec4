-- Training jobs (the seed's galaxy_training_jobs). The job grain's persisted state is the truth about a job; this table
-- is what it publishes after every change, for listing jobs and for finding the unfinished ones to resume after a
-- silo is lost. The grain is its only writer.
CREATE TABLE IF NOT EXISTS galaxy_training_jobs
(
    job_id                   uuid             PRIMARY KEY,
    model_id                 uuid             NOT NULL REFERENCES galaxy_models (id),
    dataset_id               uuid             NOT NULL REFERENCES galaxy_datasets (id) ON DELETE RESTRICT,
    status                   text             NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    -- the resolved recipe
    config                   jsonb            NOT NULL,
    requested_by             text             NOT NULL,
    created_at               timestamptz      NOT NULL,
    start_time               timestamptz      NULL,
    end_time                 timestamptz      NULL,
    progress                 double precision NOT NULL,
    epochs_done              integer          NOT NULL,
    epochs                   integer          NOT NULL,
    candidates               integer          NOT NULL,
    best_validation_accuracy double precision NULL,
    version                  integer          NULL,
    device_seconds           double precision NOT NULL,
    cost_usd                 numeric(14, 6)   NOT NULL,
    error                    text             NULL,
    updated_at               timestamptz      NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_galaxy_training_jobs_created ON galaxy_training_jobs (created_at, job_id);
CREATE INDEX IF NOT EXISTS ix_galaxy_training_jobs_unfinished ON galaxy_training_jobs (job_id) WHERE status IN ('QUEUED', 'RUNNING');

-- The last epoch checkpoint of each running job: every candidate's parameters (float32 little-endian, row after row).
-- One row per job, overwritten; gone with the job's end.
CREATE TABLE IF NOT EXISTS galaxy_training_checkpoints
(
    job_id      uuid        PRIMARY KEY REFERENCES galaxy_training_jobs (job_id) ON DELETE CASCADE,
    epochs_done integer     NOT NULL CHECK (epochs_done >= 0),
    parameters  bytea       NOT NULL,
    saved_at    timestamptz NOT NULL
);

-- A job registers at most one version, even when it resumes between registering it and recording that it did.
CREATE UNIQUE INDEX IF NOT EXISTS ux_galaxy_model_versions_training_job ON galaxy_model_versions (training_job_id)
    WHERE training_job_id IS NOT NULL;
