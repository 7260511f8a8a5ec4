-- Guardian's audit trail: an append-only, hash-chained table. Row n carries row n-1's hash, and its own hash covers
-- that link and every field, so an edited, deleted or reordered row breaks the chain at a row verify can name.
CREATE TABLE IF NOT EXISTS galaxy_audit
(
    seq            bigint      PRIMARY KEY,
    at             timestamptz NOT NULL,
    principal      text        NOT NULL,
    action         text        NOT NULL,
    target         text        NOT NULL,
    outcome        integer     NOT NULL,
    request_digest text        NOT NULL,
    prev_hash      bytea       NOT NULL,
    hash           bytea       NOT NULL
);

-- The chain's head: one row, locked by every append, so appends from any number of gateways form one chain. It also
-- lets verify notice rows cut from the end.
CREATE TABLE IF NOT EXISTS galaxy_audit_head
(
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq       bigint  NOT NULL,
    hash      bytea   NOT NULL
);

INSERT INTO galaxy_audit_head (seq, hash) VALUES (0, '\x'::bytea) ON CONFLICT DO NOTHING;

-- The hash of one row: its predecessor's hash, then its fields as a JSON array (unambiguous, whatever the text holds).
-- Time enters as microseconds since the epoch, so the session's time zone cannot change it.
CREATE OR REPLACE FUNCTION galaxy_audit_hash(
    p_prev_hash bytea, p_seq bigint, p_at timestamptz, p_principal text, p_action text, p_target text,
    p_outcome integer, p_request_digest text)
    RETURNS bytea LANGUAGE sql IMMUTABLE AS
$$
SELECT sha256(p_prev_hash || convert_to(json_build_array(
    p_seq, (extract(epoch FROM p_at) * 1000000)::bigint, p_principal, p_action, p_target, p_outcome, p_request_digest)::text,
    'UTF8'))
$$;

-- Appends one row at the head of the chain. The head's row lock serializes appends until the caller's transaction
-- ends, so a batch of appends in one transaction takes the lock once.
CREATE OR REPLACE FUNCTION galaxy_audit_append(
    p_at timestamptz, p_principal text, p_action text, p_target text, p_outcome integer, p_request_digest text)
    RETURNS bigint LANGUAGE plpgsql AS
$$
DECLARE
    head_seq  bigint;
    head_hash bytea;
    row_at    timestamptz := date_trunc('microseconds', p_at);
    row_hash  bytea;
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM galaxy_audit_head FOR UPDATE;
    row_hash := galaxy_audit_hash(head_hash, head_seq + 1, row_at, p_principal, p_action, p_target, p_outcome, p_request_digest);
    INSERT INTO galaxy_audit (seq, at, principal, action, target, outcome, request_digest, prev_hash, hash)
    VALUES (head_seq + 1, row_at, p_principal, p_action, p_target, p_outcome, p_request_digest, head_hash, row_hash);
    UPDATE galaxy_audit_head SET seq = head_seq + 1, hash = row_hash;
    RETURN head_seq + 1;
END
$$;

-- Walks the chain in order; returns how many rows it checked and the first broken link (NULL when intact).
CREATE OR REPLACE FUNCTION galaxy_audit_verify()
    RETURNS TABLE (rows_checked bigint, broken_seq bigint, reason text) LANGUAGE plpgsql STABLE AS
$$
DECLARE
    r             galaxy_audit%ROWTYPE;
    expected_seq  bigint := 1;
    expected_prev bytea  := '\x'::bytea;
    head          galaxy_audit_head%ROWTYPE;
BEGIN
    rows_checked := 0;
    FOR r IN SELECT * FROM galaxy_audit ORDER BY seq LOOP
        IF r.seq <> expected_seq THEN
            broken_seq := expected_seq;
            reason := format('row %s is missing (the next row is %s)', expected_seq, r.seq);
            RETURN NEXT; RETURN;
        END IF;
        IF r.prev_hash <> expected_prev THEN
            broken_seq := r.seq;
            reason := format('row %s does not link to row %s', r.seq, r.seq - 1);
            RETURN NEXT; RETURN;
        END IF;
        IF r.hash <> galaxy_audit_hash(r.prev_hash, r.seq, r.at, r.principal, r.action, r.target, r.outcome, r.request_digest) THEN
            broken_seq := r.seq;
            reason := format('row %s was altered: its content does not match its hash', r.seq);
            RETURN NEXT; RETURN;
        END IF;
        rows_checked := rows_checked + 1;
        expected_seq := r.seq + 1;
        expected_prev := r.hash;
    END LOOP;
    SELECT * INTO head FROM galaxy_audit_head;
    IF head.seq <> expected_seq - 1 OR head.hash <> expected_prev THEN
        broken_seq := expected_seq;
        reason := format('the chain ends at row %s but its head says row %s', expected_seq - 1, head.seq);
    END IF;
    RETURN NEXT;
END
$$;

-- Append-only at the database level: any UPDATE, DELETE or TRUNCATE of the audit rows is refused.
CREATE OR REPLACE FUNCTION galaxy_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'galaxy_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE TRIGGER galaxy_audit_append_only BEFORE UPDATE OR DELETE ON galaxy_audit
    FOR EACH ROW EXECUTE FUNCTION galaxy_audit_refuse_change();

CREATE OR REPLACE TRIGGER galaxy_audit_no_truncate BEFORE TRUNCATE ON galaxy_audit
    FOR EACH STATEMENT EXECUTE FUNCTION galaxy_audit_refuse_change();
