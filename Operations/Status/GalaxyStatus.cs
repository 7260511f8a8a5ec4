using Galaxy.Operations.Postgres;
using Npgsql;

namespace Galaxy.Operations.Status;

/// <summary>A galaxy's state as its database tells it: the server, the schema, the silos, the data, and WAL archiving.</summary>
public sealed record GalaxyStatus(
    string ServerVersion,
    long DatabaseBytes,
    int SchemaVersion,
    IReadOnlyList<SiloRow> Silos,
    IReadOnlyDictionary<string, long> StateRows,
    long Models,
    long Datasets,
    IReadOnlyDictionary<string, long> TrainingJobs,
    long AuditRows,
    ArchiverRow Archiver)
{
    public static async Task<GalaxyStatus> ReadAsync(string connectionString, string clusterId, string serviceId, CancellationToken cancellationToken)
    {
        await using var connection = await ServerFacts.OpenAsync(connectionString, cancellationToken);
        var version = await ScalarAsync<string>(connection, "SELECT current_setting('server_version')", cancellationToken);
        var bytes = await ScalarAsync<long>(connection, "SELECT pg_database_size(current_database())", cancellationToken);
        var hasSchema = await ScalarAsync<bool>(connection, "SELECT to_regclass('galaxy_schema_history') IS NOT NULL", cancellationToken);
        var archiver = await ReadArchiverAsync(connection, cancellationToken);
        if (!hasSchema)
        {
            return new GalaxyStatus(version, bytes, 0, [], new Dictionary<string, long>(), 0, 0, new Dictionary<string, long>(), 0, archiver);
        }

        var silos = new List<SiloRow>();
        await using (var command = new NpgsqlCommand(
            "SELECT SiloName, Address, Port, Status, StartTime, IAmAliveTime FROM OrleansMembershipTable WHERE DeploymentId = $1 ORDER BY StartTime", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                silos.Add(new SiloRow(
                    reader.GetString(0), $"{reader.GetString(1)}:{reader.GetInt32(2)}", StatusName(reader.GetInt32(3)),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        return new GalaxyStatus(
            version, bytes,
            await ScalarAsync<int>(connection, "SELECT coalesce(max(version), 0) FROM galaxy_schema_history", cancellationToken),
            silos,
            await GroupsAsync(connection, "SELECT GrainTypeString, count(*) FROM OrleansStorage WHERE ServiceId = $1 GROUP BY 1 ORDER BY 1", serviceId, cancellationToken),
            await ScalarAsync<long>(connection, "SELECT count(*) FROM galaxy_models", cancellationToken),
            await ScalarAsync<long>(connection, "SELECT count(*) FROM galaxy_datasets", cancellationToken),
            await GroupsAsync(connection, "SELECT status, count(*) FROM galaxy_training_jobs WHERE $1 IS NOT NULL GROUP BY 1 ORDER BY 1", serviceId, cancellationToken),
            await ScalarAsync<long>(connection, "SELECT coalesce(max(seq), 0) FROM galaxy_audit", cancellationToken),
            archiver);
    }

    // Orleans's SiloStatus values as stored in the membership table.
    private static string StatusName(int status) => status switch
    {
        1 => "Created",
        2 => "Joining",
        3 => "Active",
        4 => "ShuttingDown",
        5 => "Stopping",
        6 => "Dead",
        _ => $"status {status}",
    };

    private static async Task<ArchiverRow> ReadArchiverAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT current_setting('archive_mode'), archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal, last_failed_time
            FROM pg_stat_archiver
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ArchiverRow(
            reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
    }

    private static async Task<IReadOnlyDictionary<string, long>> GroupsAsync(
        NpgsqlConnection connection, string sql, string parameter, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, long>();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = parameter } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups[reader.GetString(0)] = reader.GetInt64(1);
        }

        return groups;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

public sealed record SiloRow(string Name, string Address, string Status, DateTimeOffset Started, DateTimeOffset LastAlive);

/// <summary>The server's WAL archiver (<c>pg_stat_archiver</c>).</summary>
public sealed record ArchiverRow(
    string Mode, long Archived, string? LastArchived, DateTimeOffset? LastArchivedAt, long Failed, string? LastFailed, DateTimeOffset? LastFailedAt);
