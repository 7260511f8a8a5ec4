using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Monitoring;

/// <summary>A delivery of an alert event to one webhook (<c>galaxy_alert_deliveries</c>, schema 0024); <see cref="Status"/> is pending, delivered or dead.</summary>
public sealed record DeliveryRow(
    Guid Id, Guid AlertId, string Webhook, string Event, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt, string? LastError);

/// <summary>A pending delivery claimed for one attempt: its body as queued.</summary>
public sealed record ClaimedDelivery(Guid Id, string Webhook, string Payload, int Attempts);

/// <summary>
/// The webhook outbox. Dispatchers on every silo claim due deliveries with <c>FOR UPDATE SKIP LOCKED</c> and a lease
/// (their next attempt moved past the attempt's timeout), so no two send one at once and one claimed by a silo that died
/// is due again when the lease runs out; then they settle each: delivered, due again after a backoff, or dead.
/// </summary>
public sealed class AlertDeliveries(NpgsqlDataSource database)
{
    private const string Columns = "delivery_id, alert_id, webhook, event, status, attempts, created_at, next_attempt_at, delivered_at, last_error";

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            UPDATE galaxy_alert_deliveries d SET next_attempt_at = $2
            FROM (SELECT delivery_id FROM galaxy_alert_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
                  ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
            WHERE d.delivery_id = due.delivery_id
            RETURNING d.delivery_id, d.webhook, d.payload::text, d.attempts
            """, row => new ClaimedDelivery(row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetInt32(3)), cancellationToken,
            now, now + lease, limit);
    }

    public Task DeliveredAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken) => ExecuteAsync("""
        UPDATE galaxy_alert_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = $2, last_error = NULL
        WHERE delivery_id = $1 AND status = 'pending'
        """, cancellationToken, id, at);

    /// <summary>A failed attempt: due again at <paramref name="retryAt"/>, or dead-lettered when null.</summary>
    public Task FailedAsync(Guid id, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken) => ExecuteAsync("""
        UPDATE galaxy_alert_deliveries
        SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
            next_attempt_at = coalesce($3, next_attempt_at)
        WHERE delivery_id = $1 AND status = 'pending'
        """, cancellationToken, id, error, retryAt);

    /// <summary>Deliveries newest first, optionally of one status.</summary>
    public Task<Page<DeliveryRow>> ListAsync(string? status, int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(
            database, Columns, "galaxy_alert_deliveries", "($1::text IS NULL OR status = $1)", "created_at DESC, delivery_id", [status], offset, limit,
            row => new DeliveryRow(
                row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetInt32(5),
                row.GetFieldValue<DateTimeOffset>(6), row.GetFieldValue<DateTimeOffset>(7),
                row.IsDBNull(8) ? null : row.GetFieldValue<DateTimeOffset>(8), row.IsDBNull(9) ? null : row.GetString(9)),
            cancellationToken);

    /// <summary>Deletes deliveries that ended (delivered or dead) before <paramref name="cutoff"/>.</summary>
    public Task PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => ExecuteAsync(
        "DELETE FROM galaxy_alert_deliveries WHERE status <> 'pending' AND created_at < $1", cancellationToken, cutoff);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
