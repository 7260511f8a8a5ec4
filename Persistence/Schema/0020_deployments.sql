-- Guarded deployment. A labscape's deployment record lives in its grain state; galaxy_labscape_serving is what each
-- labscape grain publishes after making its record durable, so that inference by model can find the units serving a
-- model and operators can see what serves where. Deployment and approval rows are their grains' published state and
-- the CEO's decisions; every transition of either is also a row of the audit chain.
CREATE TABLE IF NOT EXISTS galaxy_labscape_serving
(
    labscape_id         integer     PRIMARY KEY CHECK (labscape_id >= 0),
    stable_model        uuid        NULL,
    stable_version      integer     NULL,
    canary_model        uuid        NULL,
    canary_version      integer     NULL,
    canary_basis_points integer     NOT NULL CHECK (canary_basis_points BETWEEN 0 AND 10000),
    deployment          text        NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_galaxy_labscape_serving_stable ON galaxy_labscape_serving (stable_model) WHERE stable_model IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_galaxy_labscape_serving_canary ON galaxy_labscape_serving (canary_model) WHERE canary_model IS NOT NULL;

CREATE TABLE IF NOT EXISTS galaxy_deployments
(
    deployment_id  uuid        PRIMARY KEY,
    model_id       uuid        NOT NULL,
    version        integer     NOT NULL,
    status         text        NOT NULL CHECK (status IN ('AWAITING_APPROVAL', 'PROGRESSING', 'SUCCEEDED', 'ROLLED_BACK', 'REJECTED', 'FAILED')),
    labscapes      integer[]   NOT NULL,
    step           integer     NOT NULL,
    canary_percent integer     NOT NULL,
    plan           jsonb       NOT NULL,
    requested_by   text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    ended_at       timestamptz NULL,
    error          text        NULL,
    FOREIGN KEY (model_id, version) REFERENCES galaxy_model_versions (model_id, version)
);

CREATE INDEX IF NOT EXISTS ix_galaxy_deployments_created ON galaxy_deployments (created_at, deployment_id);
CREATE INDEX IF NOT EXISTS ix_galaxy_deployments_unfinished ON galaxy_deployments (deployment_id)
    WHERE status IN ('AWAITING_APPROVAL', 'PROGRESSING');

CREATE TABLE IF NOT EXISTS galaxy_approvals
(
    approval_id   uuid        PRIMARY KEY,
    model_id      uuid        NOT NULL,
    version       integer     NOT NULL,
    deployment_id uuid        NULL REFERENCES galaxy_deployments (deployment_id),
    reason        text        NOT NULL,
    figures       jsonb       NOT NULL,
    status        text        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL,
    decided_by    text        NULL,
    decided_at    timestamptz NULL,
    comment       text        NULL,
    FOREIGN KEY (model_id, version) REFERENCES galaxy_model_versions (model_id, version)
);

CREATE INDEX IF NOT EXISTS ix_galaxy_approvals_requested ON galaxy_approvals (requested_at, approval_id);
