-- Trace ids in the audit chain (docs/security.md, "Audit chain"): each row written while serving a request carries
-- that request's W3C trace id, the one its log lines (@tr) carry, so an operator goes from a row to what the gateway
-- logged about it and back. Rows written outside a request (the monitor's alerts, drills) have none.
ALTER TABLE galaxy_audit ADD COLUMN IF NOT EXISTS trace_id text NULL;

-- The trace id is inside the hash, as an eighth element of the array, and only when there is one: every row written
-- before this script, and every row without a trace, hashes exactly as 0006 defined it, so the checkpoints, their
-- fingerprints and the archives signed before still verify. Inside because the chain's promise is that no stored field
-- of a row changes unseen, and an investigator follows this one to the logs: a rewritten trace id would send them to
-- another request's lines.
DROP FUNCTION IF EXISTS galaxy_audit_hash(bytea, bigint, timestamptz, text, text, text, integer, text);
CREATE OR REPLACE FUNCTION galaxy_audit_hash(
    p_prev_hash bytea, p_seq bigint, p_at timestamptz, p_principal text, p_action text, p_target text,
    p_outcome integer, p_request_digest text, p_trace_id text DEFAULT NULL)
    RETURNS bytea LANGUAGE sql IMMUTABLE AS
$$
SELECT sha256(p_prev_hash || convert_to(CASE WHEN p_trace_id IS NULL
    THEN json_build_array(
        p_seq, (extract(epoch FROM p_at) * 1000000)::bigint, p_principal, p_action, p_target, p_outcome, p_request_digest)
    ELSE json_build_array(
        p_seq, (extract(epoch FROM p_at) * 1000000)::bigint, p_principal, p_action, p_target, p_outcome, p_request_digest, p_trace_id)
    END::text, 'UTF8'))
$$;

-- As 0023's append, with the trace id. The old six-argument function goes: verification holds the database to exactly
-- the functions the schema defines, one per name. Callers that pass six arguments still append, without a trace.
DROP FUNCTION IF EXISTS galaxy_audit_append(timestamptz, text, text, text, integer, text);
CREATE OR REPLACE FUNCTION galaxy_audit_append(
    p_at timestamptz, p_principal text, p_action text, p_target text, p_outcome integer, p_request_digest text,
    p_trace_id text DEFAULT NULL)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS
$$
DECLARE
    head_seq    bigint;
    head_hash   bytea;
    head_period date;
    row_at      timestamptz := date_trunc('microseconds', p_at);
    row_period  date;
    row_hash    bytea;
BEGIN
    SELECT seq, hash, period INTO head_seq, head_hash, head_period FROM galaxy_audit_head FOR UPDATE;
    row_period := greatest(galaxy_audit_period(row_at), head_period);
    IF row_period IS DISTINCT FROM head_period THEN
        PERFORM galaxy_audit_partition(row_period);
    END IF;
    row_hash := galaxy_audit_hash(
        head_hash, head_seq + 1, row_at, p_principal, p_action, p_target, p_outcome, p_request_digest, p_trace_id);
    INSERT INTO galaxy_audit (seq, at, principal, action, target, outcome, request_digest, prev_hash, hash, period, trace_id)
    VALUES (head_seq + 1, row_at, p_principal, p_action, p_target, p_outcome, p_request_digest, head_hash, row_hash, row_period,
            p_trace_id);
    UPDATE galaxy_audit_head SET seq = head_seq + 1, hash = row_hash, period = row_period;
    RETURN head_seq + 1;
END
$$;

REVOKE ALL ON FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text, text) TO galaxy_silo, galaxy_gateway;

-- As 0023's verify, hashing the trace id as the append does.
CREATE OR REPLACE FUNCTION galaxy_audit_verify()
    RETURNS TABLE (rows_checked bigint, broken_seq bigint, reason text) LANGUAGE plpgsql STABLE AS
$$
DECLARE
    r             galaxy_audit%ROWTYPE;
    expected_seq  bigint := 1;
    expected_prev bytea  := '\x'::bytea;
    head          galaxy_audit_head%ROWTYPE;
BEGIN
    SELECT seq + 1, head_hash INTO expected_seq, expected_prev
    FROM galaxy_audit_checkpoints WHERE kind = 'archive' ORDER BY id DESC LIMIT 1;
    IF NOT FOUND THEN
        expected_seq := 1;
        expected_prev := '\x'::bytea;
    END IF;
    rows_checked := 0;
    FOR r IN SELECT * FROM galaxy_audit WHERE seq >= expected_seq ORDER BY seq LOOP
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
        IF r.hash <> galaxy_audit_hash(
                r.prev_hash, r.seq, r.at, r.principal, r.action, r.target, r.outcome, r.request_digest, r.trace_id) THEN
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
