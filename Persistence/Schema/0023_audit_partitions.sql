-- Retention (docs/security.md, "Retention"): galaxy_audit partitioned by month, so that a month long past can be
-- written to an archive with the checkpoints that witnessed it and dropped (galaxy-cli audit archive), while the chain
-- goes on in the months that stay online.
--
-- The partition key is a column of its own, period, and not the row's time: rows carry the time their writer gave
-- (gateways' clocks differ by milliseconds), so a row of 23:59:59.999 may follow one of 00:00:00.001 the next month.
-- A row's period is its month, but never earlier than the previous row's, so each partition holds one unbroken run of
-- the chain (rows a … b, no gaps): an archive is a prefix of what is online and re-links to it by one hash. The hash
-- does not cover period; it only says where a row is kept. Why not ranges of seq: the operator keeps months (seven
-- years of them), and a month's partition is found by its time without reading the chain.

-- A row's period: the first day of its month, UTC.
CREATE OR REPLACE FUNCTION galaxy_audit_period(p_at timestamptz)
    RETURNS date LANGUAGE sql IMMUTABLE AS
$$
SELECT date_trunc('month', p_at AT TIME ZONE 'UTC')::date
$$;

-- The partition for one period, made when the first row of that period is appended (by galaxy_audit_append, as the
-- owner) unless it exists. It is made apart and then attached, which locks galaxy_audit only against other DDL:
-- appends and verifications reading the chain go on (CREATE TABLE … PARTITION OF would wait for every reader). Row
-- triggers are cloned onto it by the attach; a statement trigger is not, so it gets its own refusal of TRUNCATE.
CREATE OR REPLACE FUNCTION galaxy_audit_partition(p_period date)
    RETURNS regclass LANGUAGE plpgsql AS
$$
DECLARE
    -- qualified: the append runs with pg_catalog first in its search path, where nothing may be created
    partition text := format('public.%I', 'galaxy_audit_' || to_char(p_period, 'YYYY_MM'));
BEGIN
    IF to_regclass(partition) IS NULL THEN
        EXECUTE format('CREATE TABLE %s (LIKE galaxy_audit)', partition);
        EXECUTE format('CREATE TRIGGER galaxy_audit_no_truncate BEFORE TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION galaxy_audit_refuse_change()', partition);
        EXECUTE format('ALTER TABLE galaxy_audit ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
            partition, p_period, (p_period + interval '1 month')::date);
    END IF;
    RETURN partition::regclass;
END
$$;

REVOKE ALL ON FUNCTION galaxy_audit_partition(date) FROM PUBLIC;

-- The head remembers the last row's period, so an append needs no look into the partitions to know it.
ALTER TABLE galaxy_audit_head ADD COLUMN IF NOT EXISTS period date NULL;

-- The table of 0006, once: its rows move into the partitioned table, each with the period the append would give it.
DO $$
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = 'galaxy_audit'::regclass) = 'r' THEN
        ALTER TABLE galaxy_audit RENAME TO galaxy_audit_unpartitioned;
        ALTER INDEX galaxy_audit_pkey RENAME TO galaxy_audit_unpartitioned_pkey;
        CREATE TABLE galaxy_audit
        (
            seq            bigint      NOT NULL,
            at             timestamptz NOT NULL,
            principal      text        NOT NULL,
            action         text        NOT NULL,
            target         text        NOT NULL,
            outcome        integer     NOT NULL,
            request_digest text        NOT NULL,
            prev_hash      bytea       NOT NULL,
            hash           bytea       NOT NULL,
            period         date        NOT NULL,
            -- a partitioned table's key must hold its partition key; seq alone is unique by the append's head lock
            PRIMARY KEY (seq, period)
        ) PARTITION BY RANGE (period);

        CREATE TEMPORARY TABLE galaxy_audit_periods AS
            SELECT seq, max(galaxy_audit_period(at)) OVER (ORDER BY seq) AS period FROM galaxy_audit_unpartitioned;
        PERFORM galaxy_audit_partition(period) FROM (SELECT DISTINCT period FROM galaxy_audit_periods) periods;
        INSERT INTO galaxy_audit (seq, at, principal, action, target, outcome, request_digest, prev_hash, hash, period)
            SELECT a.seq, a.at, a.principal, a.action, a.target, a.outcome, a.request_digest, a.prev_hash, a.hash, p.period
            FROM galaxy_audit_unpartitioned a JOIN galaxy_audit_periods p USING (seq);
        UPDATE galaxy_audit_head SET period = (SELECT period FROM galaxy_audit_periods WHERE seq = galaxy_audit_head.seq);
        DROP TABLE galaxy_audit_unpartitioned;
        DROP TABLE galaxy_audit_periods;
    END IF;
END
$$;

-- Append-only as before (0006): the row trigger is cloned onto every partition; the statement trigger guards the
-- parent, galaxy_audit_partition each partition.
CREATE OR REPLACE TRIGGER galaxy_audit_append_only BEFORE UPDATE OR DELETE ON galaxy_audit
    FOR EACH ROW EXECUTE FUNCTION galaxy_audit_refuse_change();

CREATE OR REPLACE TRIGGER galaxy_audit_no_truncate BEFORE TRUNCATE ON galaxy_audit
    FOR EACH STATEMENT EXECUTE FUNCTION galaxy_audit_refuse_change();

-- As 0006's append, the row now kept in its period's partition, made on the period's first row. It runs as the
-- owner (0010), so the runtime roles append to partitions they could neither make nor write.
CREATE OR REPLACE FUNCTION galaxy_audit_append(
    p_at timestamptz, p_principal text, p_action text, p_target text, p_outcome integer, p_request_digest text)
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
    row_hash := galaxy_audit_hash(head_hash, head_seq + 1, row_at, p_principal, p_action, p_target, p_outcome, p_request_digest);
    INSERT INTO galaxy_audit (seq, at, principal, action, target, outcome, request_digest, prev_hash, hash, period)
    VALUES (head_seq + 1, row_at, p_principal, p_action, p_target, p_outcome, p_request_digest, head_hash, row_hash, row_period);
    UPDATE galaxy_audit_head SET seq = head_seq + 1, hash = row_hash, period = row_period;
    RETURN head_seq + 1;
END
$$;

-- As 0006's verify, starting after the last archived row (its hash from the archive's checkpoint) when months were
-- archived. A quick check for psql; Galaxy's verdicts come from the application (Persistence/Audit).
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

-- An archive is recorded as a signed checkpoint of its own kind (Persistence/Audit/AuditCheckpoint.cs).
ALTER TABLE galaxy_audit_checkpoints DROP CONSTRAINT IF EXISTS galaxy_audit_checkpoints_kind_check;
ALTER TABLE galaxy_audit_checkpoints ADD CONSTRAINT galaxy_audit_checkpoints_kind_check
    CHECK (kind IN ('checkpoint', 'restore', 'archive'));

-- Least privilege (0010) for the new table: read by the gateway and the auditor, written only by the append.
GRANT SELECT ON galaxy_audit TO galaxy_gateway, galaxy_auditor;
