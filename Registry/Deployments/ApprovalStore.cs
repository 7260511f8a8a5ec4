using System.Security.Cryptography;
using System.Text.Json;
using Galaxy.Persistence.Audit;
using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Deployments;

/// <summary>
/// A request for the CEO's decision on a version (the seed's approval workflow): why it was asked, the figures behind
/// it, and the decision. <see cref="Status"/> is <c>PENDING</c>, <c>APPROVED</c> or <c>REJECTED</c>.
/// </summary>
public sealed record Approval(
    Guid Id, Guid ModelId, string ModelName, int Version, Guid? DeploymentId, string Reason, string FiguresJson, string Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment);

/// <summary>The approval was already decided.</summary>
public sealed class ApprovalDecidedException(Approval approval)
    : Exception($"Approval {approval.Id} was already {approval.Status.ToLowerInvariant()} by {approval.DecidedBy}.")
{
    public Approval Approval { get; } = approval;
}

/// <summary>
/// <c>galaxy_approvals</c> (schema 0020): requests for the CEO's decision and the decisions, each with its audit row in
/// the same transaction. A decision is made once.
/// </summary>
public sealed class ApprovalStore(NpgsqlDataSource database, TimeProvider time)
{
    public const string Requested = "approval.requested";
    public const string Approved = "approval.approved";
    public const string Rejected = "approval.rejected";

    private const string Columns = """
        a.approval_id, a.model_id, m.name, a.version, a.deployment_id, a.reason, a.figures, a.status, a.requested_by,
        a.requested_at, a.decided_by, a.decided_at, a.comment
        """;

    private const string From = "galaxy_approvals a JOIN galaxy_models m ON m.id = a.model_id";

    public Task<Approval> RequestAsync(
        Guid modelId, int version, Guid? deploymentId, string reason, string figuresJson, string requestedBy, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var id = Guid.CreateVersion7();
            await using (var insert = Command(connection, transaction, """
                INSERT INTO galaxy_approvals (approval_id, model_id, version, deployment_id, reason, figures, status, requested_by, requested_at)
                VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8)
                """, id, modelId, version, deploymentId, reason, JsonbText(figuresJson), requestedBy, time.GetUtcNow()))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            var approval = (await ReadFirstAsync(connection, transaction, $"SELECT {Columns} FROM {From} WHERE a.approval_id = $1", Row, cancellationToken, id))!;
            await AuditAsync(connection, transaction, requestedBy, Requested, approval, cancellationToken);
            return approval;
        }, cancellationToken);

    /// <summary>Records the decision, once.</summary>
    /// <exception cref="RegistryNotFoundException">No such approval.</exception>
    /// <exception cref="ApprovalDecidedException">It was decided before.</exception>
    public Task<Approval> DecideAsync(Guid id, bool approve, string decidedBy, string? comment, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var approval = await ReadFirstAsync(
                connection, transaction, $"SELECT {Columns} FROM {From} WHERE a.approval_id = $1 FOR UPDATE OF a", Row, cancellationToken, id)
                ?? throw new RegistryNotFoundException("approval", $"No approval has the id {id}.");
            if (approval.Status != "PENDING")
            {
                throw new ApprovalDecidedException(approval);
            }

            await using (var update = Command(connection, transaction, """
                UPDATE galaxy_approvals SET status = $2, decided_by = $3, decided_at = $4, comment = $5 WHERE approval_id = $1
                """, id, approve ? "APPROVED" : "REJECTED", decidedBy, time.GetUtcNow(), comment))
            {
                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            var decided = (await ReadFirstAsync(connection, transaction, $"SELECT {Columns} FROM {From} WHERE a.approval_id = $1", Row, cancellationToken, id))!;
            await AuditAsync(connection, transaction, decidedBy, approve ? Approved : Rejected, decided, cancellationToken);
            return decided;
        }, cancellationToken);

    public async Task<Approval?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync(connection, null, $"SELECT {Columns} FROM {From} WHERE a.approval_id = $1", Row, cancellationToken, id);
    }

    public Task<Page<Approval>> ListAsync(string? status, int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(database, Columns, From, "($1::text IS NULL OR a.status = $1)", "a.requested_at DESC, a.approval_id", [status],
            offset, limit, Row, cancellationToken);

    private Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string principal, string action, Approval approval, CancellationToken cancellationToken)
    {
        var change = new { approval.Id, approval.ModelName, approval.Version, approval.DeploymentId, approval.Status, approval.Reason, approval.Comment };
        var digest = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(change, Json)));
        var target = $"models/{approval.ModelName}/versions/{approval.Version} approval {approval.Id} {approval.Status}"
            + (approval.Comment is { Length: > 0 } comment ? $": {comment}" : "");
        return AuditAppend.AppendAsync(
            connection, transaction, new AuditEntry(time.GetUtcNow(), principal, action, target, AuditEntry.ChangeMade, digest), cancellationToken);
    }

    private static Approval Row(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.GetInt32(3), row.IsDBNull(4) ? null : row.GetGuid(4), row.GetString(5),
        row.GetString(6), row.GetString(7), row.GetString(8), row.GetFieldValue<DateTimeOffset>(9), row.IsDBNull(10) ? null : row.GetString(10),
        row.IsDBNull(11) ? null : row.GetFieldValue<DateTimeOffset>(11), row.IsDBNull(12) ? null : row.GetString(12));
}
