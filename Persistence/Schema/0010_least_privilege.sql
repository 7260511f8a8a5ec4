-- Least privilege. The schema belongs to galaxy_owner, which applies these scripts and is the administrator's door
-- (./galaxy db psql); Galaxy's processes connect as roles that may read and write their own tables and nothing more:
-- no superuser, no ownership, so no DDL, no ALTER TABLE … DISABLE TRIGGER, no DROP. ./galaxy creates the roles
-- (docs/security.md, "Database roles"); they must exist before this script runs.
--   galaxy_silo     Orleans membership and grain state; the registry and training jobs (a job registers its version)
--   galaxy_gateway  Guardian's credentials; the registry; reading membership, training jobs and the audit
--   galaxy_auditor  the operator's audit commands: reading the chain, adding checkpoints
-- Nobody but the owner writes galaxy_audit: rows are added only through galaxy_audit_append, which runs as its owner.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;

GRANT SELECT ON galaxy_schema_history TO galaxy_silo, galaxy_gateway, galaxy_auditor;

-- Orleans: the query catalogue for both, membership written by silos and read by clients, grain state by silos.
GRANT SELECT ON OrleansQuery TO galaxy_silo, galaxy_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansMembershipVersionTable, OrleansMembershipTable TO galaxy_silo;
GRANT SELECT ON OrleansMembershipVersionTable, OrleansMembershipTable TO galaxy_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansStorage TO galaxy_silo;

-- Guardian's credentials are the gateway's alone.
GRANT SELECT, INSERT, UPDATE ON galaxy_refresh_tokens, galaxy_api_keys TO galaxy_gateway;

-- The registry: the gateway serves every route of it (deleting datasets and aliases included); silos register the
-- versions training jobs make and record evaluations. Row locks (FOR KEY SHARE, FOR NO KEY UPDATE) need UPDATE.
GRANT SELECT, INSERT, UPDATE, DELETE ON galaxy_datasets, galaxy_models, galaxy_model_versions, galaxy_model_aliases,
    galaxy_model_evaluations TO galaxy_gateway;
GRANT SELECT, INSERT, UPDATE ON galaxy_datasets, galaxy_models, galaxy_model_versions, galaxy_model_aliases,
    galaxy_model_evaluations TO galaxy_silo;
GRANT USAGE ON SEQUENCE galaxy_model_evaluations_id_seq TO galaxy_silo, galaxy_gateway;

-- Training jobs: their grains publish them; the gateway lists them.
GRANT SELECT, INSERT, UPDATE, DELETE ON galaxy_training_jobs, galaxy_training_checkpoints TO galaxy_silo;
GRANT SELECT ON galaxy_training_jobs TO galaxy_gateway;

-- The audit chain: read by the gateway and the auditor, appended to only through the function below.
GRANT SELECT ON galaxy_audit, galaxy_audit_head, galaxy_audit_checkpoints TO galaxy_gateway, galaxy_auditor;
GRANT INSERT ON galaxy_audit_checkpoints TO galaxy_gateway, galaxy_auditor;

-- Appends run as the chain's owner, with a fixed search path so that a caller's objects cannot stand in for ours.
ALTER FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text) SECURITY DEFINER;
ALTER FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text) SET search_path = pg_catalog, public;
REVOKE ALL ON FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text) TO galaxy_silo, galaxy_gateway;
