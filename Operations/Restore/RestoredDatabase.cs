using Galaxy.Operations.Postgres;
using Npgsql;

namespace Galaxy.Operations.Restore;

/// <summary>
/// What a restored Galaxy database holds, and whether it is whole: the schema's scripts, unit and labscape state,
/// the registry (models, versions with their weights, datasets), training jobs, and the audit chain, which must verify.
/// </summary>
public sealed record RestoredDatabase(
    int SchemaVersion,
    IReadOnlyDictionary<string, long> StateRows,
    long Models,
    long Versions,
    long Datasets,
    long TrainingJobs,
    long AuditRows,
    string? AuditBroken)
{
    public bool AuditIntact => AuditBroken is null;

    public string Summary =>
        $"schema {SchemaVersion}; state rows {string.Join(", ", StateRows.Select(kind => $"{kind.Key} {kind.Value:N0}"))}; " +
        $"{Models:N0} models, {Versions:N0} versions, {Datasets:N0} datasets, {TrainingJobs:N0} training jobs; " +
        $"audit chain {(AuditIntact ? "intact" : "BROKEN: " + AuditBroken)} ({AuditRows:N0} rows)";

    /// <summary>Reads a restored database. A database without Galaxy's schema (an empty one) reads as schema 0.</summary>
    public static async Task<RestoredDatabase> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = await ServerFacts.OpenAsync(connectionString, cancellationToken);
        if (!await ExistsAsync(connection, "galaxy_schema_history", cancellationToken))
        {
            return new RestoredDatabase(0, new Dictionary<string, long>(), 0, 0, 0, 0, 0, null);
        }

        var schema = await ScalarAsync<int>(connection, "SELECT coalesce(max(version), 0) FROM galaxy_schema_history", cancellationToken);
        var state = new Dictionary<string, long>();
        if (await ExistsAsync(connection, "orleansstorage", cancellationToken))
        {
            await using var rows = new NpgsqlCommand("SELECT graintypestring, count(*) FROM orleansstorage GROUP BY 1 ORDER BY 1", connection);
            await using var reader = await rows.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                state[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        string? broken = null;
        long auditRows = 0;
        if (await ExistsAsync(connection, "galaxy_audit", cancellationToken))
        {
            await using var verify = new NpgsqlCommand("SELECT rows_checked, broken_seq, reason FROM galaxy_audit_verify()", connection);
            await using var reader = await verify.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            auditRows = reader.GetInt64(0);
            broken = reader.IsDBNull(1) ? null : $"row {reader.GetValue(1)}: {reader.GetValue(2)}";
        }

        return new RestoredDatabase(
            schema, state,
            await CountAsync(connection, "galaxy_models", cancellationToken),
            await CountAsync(connection, "galaxy_model_versions", cancellationToken),
            await CountAsync(connection, "galaxy_datasets", cancellationToken),
            await CountAsync(connection, "galaxy_training_jobs", cancellationToken),
            auditRows, broken);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        await ExistsAsync(connection, table, cancellationToken) ? await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}", cancellationToken) : 0;

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        await ScalarAsync<bool>(connection, $"SELECT to_regclass('{table}') IS NOT NULL", cancellationToken);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
