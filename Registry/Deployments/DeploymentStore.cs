using System.Security.Cryptography;
using System.Text.Json;
using Galaxy.Persistence.Audit;
using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Deployments;

/// <summary>
/// A deployment as <c>galaxy_deployments</c> lists it (schema 0020). <see cref="Status"/> is one of
/// <c>AWAITING_APPROVAL, PROGRESSING, SUCCEEDED, ROLLED_BACK, REJECTED, FAILED</c>.
/// </summary>
public sealed record DeploymentRow(
    Guid DeploymentId, Guid ModelId, string ModelName, int Version, string Status, int[] Labscapes, int Step, int CanaryPercent,
    string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt, string? Error);

/// <summary>One transition of a deployment, for the audit chain: who, what (<c>deployment.step</c>, …), a readable target.</summary>
public sealed record DeploymentTransition(string Principal, string Action, string Target, object Change);

/// <summary>
/// What deployments publish beside their grain state: their row in the list (and the unfinished ones to resume), each
/// transition's audit row in the same transaction.
/// </summary>
public sealed class DeploymentStore(NpgsqlDataSource database, TimeProvider time)
{
    private const string Columns = """
        d.deployment_id, d.model_id, m.name, d.version, d.status, d.labscapes, d.step, d.canary_percent, d.requested_by,
        d.created_at, d.updated_at, d.ended_at, d.error
        """;

    private const string From = "galaxy_deployments d JOIN galaxy_models m ON m.id = d.model_id";

    public Task PublishAsync(DeploymentRow row, string planJson, DeploymentTransition transition, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var command = Command(connection, transaction, """
                INSERT INTO galaxy_deployments (deployment_id, model_id, version, status, labscapes, step, canary_percent, plan,
                    requested_by, created_at, updated_at, ended_at, error)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                ON CONFLICT (deployment_id) DO UPDATE SET status = excluded.status, step = excluded.step,
                    canary_percent = excluded.canary_percent, updated_at = excluded.updated_at, ended_at = excluded.ended_at,
                    error = excluded.error
                """,
                row.DeploymentId, row.ModelId, row.Version, row.Status, row.Labscapes, row.Step, row.CanaryPercent, JsonbText(planJson),
                row.RequestedBy, row.CreatedAt, row.UpdatedAt, row.EndedAt, row.Error))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var digest = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(transition.Change, Json)));
            await AuditAppend.AppendAsync(
                connection, transaction,
                new AuditEntry(time.GetUtcNow(), transition.Principal, transition.Action, transition.Target, AuditEntry.ChangeMade, digest),
                cancellationToken);
            return true;
        }, cancellationToken);

    public Task<Page<DeploymentRow>> ListAsync(string? status, Guid? modelId, int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(
            database, Columns, From, "($1::text IS NULL OR d.status = $1) AND ($2::uuid IS NULL OR d.model_id = $2)",
            "d.created_at DESC, d.deployment_id", [status, modelId], offset, limit, Row, cancellationToken);

    /// <summary>Each of the models' newest deployment (none for a model never deployed), in one query for a whole page of models.</summary>
    public async Task<IReadOnlyList<DeploymentRow>> LatestOfModelsAsync(Guid[] modelIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(
            connection, $"SELECT DISTINCT ON (d.model_id) {Columns} FROM {From} WHERE d.model_id = ANY($1) ORDER BY d.model_id, d.created_at DESC",
            Row, cancellationToken, modelIds);
    }

    public async Task<IReadOnlyList<Guid>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(
            connection, "SELECT deployment_id FROM galaxy_deployments WHERE status IN ('AWAITING_APPROVAL', 'PROGRESSING')",
            row => row.GetGuid(0), cancellationToken);
    }

    /// <summary>The deployments rolling <paramref name="version"/> of <paramref name="modelId"/> out: those whose canary it is.</summary>
    public async Task<IReadOnlyList<Guid>> RollingOutAsync(Guid modelId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT deployment_id FROM galaxy_deployments WHERE status = 'PROGRESSING' AND model_id = $1 AND version = $2
            """, row => row.GetGuid(0), cancellationToken, modelId, version);
    }

    /// <summary>Deployments rolling out (other than <paramref name="except"/>) to any of <paramref name="labscapes"/>.</summary>
    public async Task<IReadOnlyList<Guid>> HoldingAsync(int[] labscapes, Guid except, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT deployment_id FROM galaxy_deployments
            WHERE status = 'PROGRESSING' AND labscapes && $1 AND deployment_id <> $2
            """, row => row.GetGuid(0), cancellationToken, labscapes, except);
    }

    private static DeploymentRow Row(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.GetInt32(3), row.GetString(4), row.GetFieldValue<int[]>(5), row.GetInt32(6),
        row.GetInt32(7), row.GetString(8), row.GetFieldValue<DateTimeOffset>(9), row.GetFieldValue<DateTimeOffset>(10),
        row.IsDBNull(11) ? null : row.GetFieldValue<DateTimeOffset>(11), row.IsDBNull(12) ? null : row.GetString(12));
}
