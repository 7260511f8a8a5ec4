-- Monitoring (the seed's "Real-time Metrics Configuration" and galaxy_performance_logs). The monitoring grain writes
-- one performance row per served model version and interval, and one resource row per silo and interval; both are
-- kept for a configured retention. Alerts are its judgements against the thresholds: one row per breach, from firing
-- to resolved, at most one firing per fingerprint (kind and subject), so a breach that goes on is never a second alert.
-- Each event of an alert (fired, raised, escalated, resolved) is queued for every configured webhook in the same
-- transaction (an outbox); a delivery that fails every attempt stays as the dead-letter record.
CREATE TABLE IF NOT EXISTS galaxy_performance_logs
(
    log_id          uuid             PRIMARY KEY,
    model_id        uuid             NOT NULL,
    version         integer          NOT NULL,
    started_at      timestamptz      NOT NULL,
    ended_at        timestamptz      NOT NULL CHECK (ended_at > started_at),
    requests        bigint           NOT NULL CHECK (requests >= 0),
    errors          bigint           NOT NULL CHECK (errors BETWEEN 0 AND requests),
    latency_p50_ms  double precision NULL,
    latency_p95_ms  double precision NULL,
    latency_p99_ms  double precision NULL,
    latency_buckets bigint[]         NOT NULL,
    feedback        bigint           NOT NULL CHECK (feedback >= 0),
    correct         bigint           NOT NULL CHECK (correct BETWEEN 0 AND feedback),
    throughput      double precision NOT NULL CHECK (throughput >= 0),
    error_rate      numeric(5, 4)    NOT NULL CHECK (error_rate BETWEEN 0 AND 1),
    accuracy        numeric(5, 4)    NULL CHECK (accuracy BETWEEN 0 AND 1),
    FOREIGN KEY (model_id, version) REFERENCES galaxy_model_versions (model_id, version)
);

CREATE INDEX IF NOT EXISTS ix_galaxy_performance_logs_started ON galaxy_performance_logs (started_at);
CREATE INDEX IF NOT EXISTS ix_galaxy_performance_logs_version ON galaxy_performance_logs (model_id, version, started_at);

CREATE TABLE IF NOT EXISTS galaxy_resource_logs
(
    silo           text             NOT NULL,
    at             timestamptz      NOT NULL,
    cpu_percent    double precision NOT NULL CHECK (cpu_percent >= 0),
    memory_percent double precision NOT NULL CHECK (memory_percent >= 0),
    gpu_percent    double precision NULL CHECK (gpu_percent >= 0),
    PRIMARY KEY (at, silo)
);

CREATE TABLE IF NOT EXISTS galaxy_alert_thresholds
(
    model_id   uuid        PRIMARY KEY REFERENCES galaxy_models (id),
    thresholds jsonb       NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS galaxy_alerts
(
    alert_id            uuid             PRIMARY KEY,
    fingerprint         text             NOT NULL,
    kind                text             NOT NULL CHECK (kind IN ('latency-p95', 'accuracy', 'throughput', 'cpu', 'gpu', 'memory')),
    subject             text             NOT NULL,
    model_id            uuid             NULL REFERENCES galaxy_models (id),
    version             integer          NULL,
    severity            text             NOT NULL CHECK (severity IN ('warning', 'critical')),
    state               text             NOT NULL CHECK (state IN ('firing', 'resolved')),
    level               integer          NOT NULL CHECK (level BETWEEN 1 AND 3),
    value               double precision NOT NULL,
    threshold           double precision NOT NULL,
    summary             text             NOT NULL,
    fired_at            timestamptz      NOT NULL,
    last_seen_at        timestamptz      NOT NULL,
    escalated_at        timestamptz      NULL,
    resolved_at         timestamptz      NULL,
    acknowledged_by     text             NULL,
    acknowledged_at     timestamptz      NULL,
    acknowledge_comment text             NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_galaxy_alerts_firing ON galaxy_alerts (fingerprint) WHERE state = 'firing';
CREATE INDEX IF NOT EXISTS ix_galaxy_alerts_fired ON galaxy_alerts (fired_at DESC, alert_id);

CREATE TABLE IF NOT EXISTS galaxy_alert_deliveries
(
    delivery_id     uuid        PRIMARY KEY,
    alert_id        uuid        NOT NULL REFERENCES galaxy_alerts (alert_id),
    webhook         text        NOT NULL,
    event           text        NOT NULL CHECK (event IN ('fired', 'raised', 'escalated', 'resolved')),
    payload         jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        integer     NOT NULL CHECK (attempts >= 0),
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz NULL,
    last_error      text        NULL
);

CREATE INDEX IF NOT EXISTS ix_galaxy_alert_deliveries_due ON galaxy_alert_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS ix_galaxy_alert_deliveries_created ON galaxy_alert_deliveries (created_at DESC, delivery_id);
