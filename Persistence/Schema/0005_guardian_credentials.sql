-- Guardian's credentials that are issued at run time: refresh tokens and API keys. Both are stored only as SHA-256
-- digests of their secret: they are 256-bit random values, so a plain digest is as strong as a slow hash would be.

-- Refresh tokens rotate: each use marks the row used and issues its successor in the same family. Presenting a used
-- (or revoked) token again is reuse, and revokes the whole family.
CREATE TABLE IF NOT EXISTS galaxy_refresh_tokens
(
    id          uuid        PRIMARY KEY,
    family_id   uuid        NOT NULL,
    account     text        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NULL,
    revoked_at  timestamptz NULL
);

CREATE INDEX IF NOT EXISTS ix_galaxy_refresh_tokens_family ON galaxy_refresh_tokens (family_id);

-- API keys for inference clients: shown once at creation, revocable, never stored in the clear.
CREATE TABLE IF NOT EXISTS galaxy_api_keys
(
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    key_hash    bytea       NOT NULL UNIQUE,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz NULL
);
