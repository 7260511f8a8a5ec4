-- Optimized versions (int8, structured pruning, distillation): how a derived version was made, beside its technique
-- (0007): the settings it was made with ({"pruneFraction": "0.5", "fineTuneEpochs": "20", …}); NULL for versions
-- that were trained or registered.
ALTER TABLE galaxy_model_versions ADD COLUMN IF NOT EXISTS technique_settings jsonb NULL;

-- A finished training job's population: every candidate's final parameters (float32 little-endian, row after row, in
-- candidate order) and each one's final validation accuracy, kept so that a version's training population can teach a
-- distilled student as an ensemble. Written once by the job's grain when it succeeds; sealed like checkpoints when a
-- key-encryption key is configured.
CREATE TABLE IF NOT EXISTS galaxy_training_populations
(
    job_id              uuid               PRIMARY KEY REFERENCES galaxy_training_jobs (job_id) ON DELETE CASCADE,
    candidates          integer            NOT NULL CHECK (candidates > 0),
    parameters          bytea              NOT NULL,
    validation_accuracy double precision[] NOT NULL CHECK (cardinality(validation_accuracy) = candidates),
    saved_at            timestamptz        NOT NULL,
    data_key_id         uuid               NULL REFERENCES galaxy_data_keys (id)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON galaxy_training_populations TO galaxy_silo;
