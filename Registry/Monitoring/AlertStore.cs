using System.Globalization;
using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Monitoring;

/// <summary>
/// <c>galaxy_alerts</c> (schema 0024): the alerts the monitoring grain fires, updates, escalates and resolves, and
/// people acknowledge. Every event of an alert is one audit row and one queued delivery per configured webhook, in the
/// same transaction as the alert's change, so no event is recorded without being sent or sent without being recorded.
/// </summary>
public sealed class AlertStore(NpgsqlDataSource database, MonitoringOptions options, TimeProvider time)
{
    /// <summary>The principal of the changes the monitoring grain makes.</summary>
    public const string Monitor = "monitor";

    private const string Columns = """
        a.alert_id, a.fingerprint, a.kind, a.subject, a.model_id, m.name, a.version, a.severity, a.state, a.level, a.value, a.threshold,
        a.summary, a.fired_at, a.last_seen_at, a.escalated_at, a.resolved_at, a.acknowledged_by, a.acknowledged_at, a.acknowledge_comment
        """;

    private const string From = "galaxy_alerts a LEFT JOIN galaxy_models m ON m.id = a.model_id";

    public async Task<IReadOnlyList<AlertRow>> FiringAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, $"SELECT {Columns} FROM {From} WHERE a.state = 'firing'", Row, cancellationToken);
    }

    public async Task<AlertRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync(connection, null, $"SELECT {Columns} FROM {From} WHERE a.alert_id = $1", Row, cancellationToken, id);
    }

    /// <summary>Alerts newest first, optionally of one state and one severity.</summary>
    public Task<Page<AlertRow>> ListAsync(string? state, string? severity, int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(
            database, Columns, From, "($1::text IS NULL OR a.state = $1) AND ($2::text IS NULL OR a.severity = $2)",
            "a.fired_at DESC, a.alert_id", [state, severity], offset, limit, Row, cancellationToken);

    /// <summary>
    /// Applies one evaluation's change: the alert's row, an audit row per event, a delivery per event and webhook.
    /// Returns false when the change no longer applies: an alert of its fingerprint is already firing (a second
    /// evaluator was first), it is no longer firing, or an escalation met an acknowledgement made meanwhile.
    /// </summary>
    public Task<bool> ApplyAsync(AlertChange change, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var alert = change.Alert;
            var written = change.IsNew ? await InsertAsync(connection, transaction, alert, cancellationToken) : await UpdateAsync(connection, transaction, change, cancellationToken);
            if (!written)
            {
                return false;
            }

            foreach (var kind in change.Events)
            {
                await RecordEventAsync(connection, transaction, alert, kind, Monitor, cancellationToken);
            }

            return true;
        }, cancellationToken);

    /// <summary>A person takes an alert on: it stops escalating. Null when there is no such alert.</summary>
    /// <exception cref="AlertAlreadyAcknowledgedException">Someone acknowledged it before.</exception>
    public Task<AlertRow?> AcknowledgeAsync(Guid id, string principal, string? comment, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await ReadFirstAsync(connection, transaction, $"SELECT {Columns} FROM {From} WHERE a.alert_id = $1 FOR UPDATE OF a", Row, cancellationToken, id);
            if (current is null)
            {
                return null;
            }

            if (current.AcknowledgedBy is { } by)
            {
                throw new AlertAlreadyAcknowledgedException(
                    string.Create(CultureInfo.InvariantCulture, $"Alert {id} was acknowledged by {by} at {current.AcknowledgedAt:O}."));
            }

            var acknowledged = current with { AcknowledgedBy = principal, AcknowledgedAt = time.GetUtcNow(), AcknowledgeComment = comment };
            await using (var command = Command(connection, transaction, """
                UPDATE galaxy_alerts SET acknowledged_by = $2, acknowledged_at = $3, acknowledge_comment = $4 WHERE alert_id = $1
                """, id, principal, acknowledged.AcknowledgedAt, comment))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await RecordEventAsync(connection, transaction, acknowledged, AlertEvents.Acknowledged, principal, cancellationToken);
            return acknowledged;
        }, cancellationToken);

    private static async Task<bool> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRow alert, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO galaxy_alerts (alert_id, fingerprint, kind, subject, model_id, version, severity, state, level, value, threshold, summary,
                fired_at, last_seen_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (fingerprint) WHERE state = 'firing' DO NOTHING
            """,
            alert.Id, alert.Fingerprint, alert.Kind, alert.Subject, alert.ModelId, alert.Version, alert.Severity, alert.State, alert.Level,
            alert.Value, alert.Threshold, alert.Summary, alert.FiredAt, alert.LastSeenAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    // Only what evaluations own: an acknowledgement made meanwhile is never overwritten, and stops an escalation.
    private static async Task<bool> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertChange change, CancellationToken cancellationToken)
    {
        var alert = change.Alert;
        await using var command = Command(connection, transaction, """
            UPDATE galaxy_alerts SET severity = $2, state = $3, level = $4, value = $5, threshold = $6, summary = $7, last_seen_at = $8,
                escalated_at = $9, resolved_at = $10
            WHERE alert_id = $1 AND state = 'firing' AND (NOT $11 OR acknowledged_by IS NULL)
            """,
            alert.Id, alert.Severity, alert.State, alert.Level, alert.Value, alert.Threshold, alert.Summary, alert.LastSeenAt, alert.EscalatedAt,
            alert.ResolvedAt, change.Escalates);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task RecordEventAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRow alert, string kind, string principal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var notify = kind == AlertEvents.Escalated ? EscalationMatrix.RolesOf(alert.Level) : kind == AlertEvents.Fired ? EscalationMatrix.RolesOf(1) : EscalationMatrix.PagedUpTo(alert.Level);
        if (kind != AlertEvents.Acknowledged)
        {
            foreach (var webhook in options.Webhooks)
            {
                var delivery = Guid.CreateVersion7(now);
                var payload = WebhookPayloads.Render(webhook.Format, new AlertEvent(delivery, kind, now, notify, AlertEventAlert.Of(alert)));
                await using var command = Command(connection, transaction, """
                    INSERT INTO galaxy_alert_deliveries (delivery_id, alert_id, webhook, event, payload, status, attempts, created_at, next_attempt_at)
                    VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)
                    """, delivery, alert.Id, webhook.Name, kind, JsonbText(payload), now);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var target = string.Create(CultureInfo.InvariantCulture, $"alerts/{alert.Id} {alert.Kind} {alert.Subject} {alert.Severity} level {alert.Level}");
        var detail = kind switch
        {
            AlertEvents.Escalated => $"{target} escalated to {string.Join(", ", notify)}: {alert.Summary}",
            AlertEvents.Acknowledged => $"{target} acknowledged{(string.IsNullOrWhiteSpace(alert.AcknowledgeComment) ? "" : $": {alert.AcknowledgeComment}")}",
            _ => $"{target} {kind}: {alert.Summary}",
        };
        await RegistryAudit.AppendAsync(
            connection, transaction, time, principal, $"alert.{kind}", detail,
            new { alert.Id, kind, alert.Severity, alert.Level, alert.State, alert.Value, alert.Threshold, notify }, cancellationToken);
    }

    private static AlertRow Row(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.IsDBNull(4) ? null : row.GetGuid(4),
        row.IsDBNull(5) ? null : row.GetString(5), row.IsDBNull(6) ? null : row.GetInt32(6), row.GetString(7), row.GetString(8), row.GetInt32(9),
        row.GetDouble(10), row.GetDouble(11), row.GetString(12), row.GetFieldValue<DateTimeOffset>(13), row.GetFieldValue<DateTimeOffset>(14),
        Nullable(row, 15), Nullable(row, 16), row.IsDBNull(17) ? null : row.GetString(17), Nullable(row, 18), row.IsDBNull(19) ? null : row.GetString(19));

    private static DateTimeOffset? Nullable(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetFieldValue<DateTimeOffset>(ordinal);
}

/// <summary>An alert that someone has acknowledged already.</summary>
public sealed class AlertAlreadyAcknowledgedException(string message) : Exception(message);
