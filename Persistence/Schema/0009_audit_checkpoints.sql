-- Signed checkpoints of the audit chain (Persistence/Audit/AuditCheckpoint.cs). The witness outside the database holds
-- the authoritative copies; these are for reading through the API and for a witness to be re-seeded from. A row here
-- proves nothing by itself: its signature is made with a key the database never sees.
CREATE TABLE IF NOT EXISTS galaxy_audit_checkpoints
(
    id        bigint      PRIMARY KEY,
    kind      text        NOT NULL CHECK (kind IN ('checkpoint', 'restore')),
    seq       bigint      NOT NULL,
    head_hash bytea       NOT NULL,
    at        timestamptz NOT NULL,
    -- the signed checkpoint as the witness received it (JSON)
    document  text        NOT NULL
);

CREATE OR REPLACE TRIGGER galaxy_audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON galaxy_audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION galaxy_audit_refuse_change();

CREATE OR REPLACE TRIGGER galaxy_audit_checkpoints_no_truncate BEFORE TRUNCATE ON galaxy_audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION galaxy_audit_refuse_change();
