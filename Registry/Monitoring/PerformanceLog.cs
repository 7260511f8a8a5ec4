using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Monitoring;

/// <summary>
/// The seed's <c>galaxy_performance_logs</c> (schema 0024): a row per served model version and interval, and
/// <c>galaxy_resource_logs</c>, a row per silo and interval; written by the monitoring grain, read by the gateway's
/// report, and pruned past the retention.
/// </summary>
public sealed class PerformanceLog(NpgsqlDataSource database)
{
    public async Task AppendAsync(IReadOnlyList<VersionInterval> versions, IReadOnlyList<SiloReading> silos, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        foreach (var version in versions)
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO galaxy_performance_logs (log_id, model_id, version, started_at, ended_at, requests, errors, latency_p50_ms,
                    latency_p95_ms, latency_p99_ms, latency_buckets, feedback, correct, throughput, error_rate, accuracy)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                """,
                Guid.CreateVersion7(version.End), version.ModelId, version.Version, version.Start, version.End, version.Requests, version.Errors,
                version.LatencyP50Ms, version.LatencyP95Ms, version.LatencyP99Ms, version.LatencyBuckets, version.Feedback, version.Correct,
                version.ThroughputPerSecond, Round4(version.ErrorRate), version.Accuracy is { } accuracy ? Round4(accuracy) : null));
        }

        foreach (var silo in silos)
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO galaxy_resource_logs (silo, at, cpu_percent, memory_percent, gpu_percent) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (at, silo) DO NOTHING
                """, silo.Silo, silo.At, silo.CpuPercent, silo.MemoryPercent, silo.GpuPercent));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The intervals that started in [<paramref name="from"/>, <paramref name="to"/>), oldest first, of one model or all.</summary>
    public async Task<IReadOnlyList<VersionInterval>> VersionsAsync(DateTimeOffset from, DateTimeOffset to, Guid? modelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT p.model_id, m.name, p.version, p.started_at, p.ended_at, p.requests, p.errors, p.latency_p50_ms, p.latency_p95_ms,
                p.latency_p99_ms, p.latency_buckets, p.feedback, p.correct
            FROM galaxy_performance_logs p JOIN galaxy_models m ON m.id = p.model_id
            WHERE p.started_at >= $1 AND p.started_at < $2 AND ($3::uuid IS NULL OR p.model_id = $3)
            ORDER BY p.started_at, m.name, p.version
            """, row => new VersionInterval(
                row.GetGuid(0), row.GetString(1), row.GetInt32(2), row.GetFieldValue<DateTimeOffset>(3), row.GetFieldValue<DateTimeOffset>(4),
                row.GetInt64(5), row.GetInt64(6), Nullable(row, 7), Nullable(row, 8), Nullable(row, 9), row.GetFieldValue<long[]>(10),
                row.GetInt64(11), row.GetInt64(12)),
            cancellationToken, from, to, modelId);
    }

    /// <summary>The silos' readings taken in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public async Task<IReadOnlyList<SiloReading>> SilosAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT silo, at, cpu_percent, memory_percent, gpu_percent FROM galaxy_resource_logs WHERE at >= $1 AND at < $2 ORDER BY at, silo
            """, row => new SiloReading(row.GetString(0), row.GetFieldValue<DateTimeOffset>(1), row.GetDouble(2), row.GetDouble(3), Nullable(row, 4)),
            cancellationToken, from, to);
    }

    /// <summary>Deletes what is older than <paramref name="cutoff"/>; returns the rows deleted.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(BatchCommand("DELETE FROM galaxy_performance_logs WHERE started_at < $1", cutoff));
        batch.BatchCommands.Add(BatchCommand("DELETE FROM galaxy_resource_logs WHERE at < $1", cutoff));
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static decimal Round4(double fraction) => Math.Round((decimal)fraction, 4);

    private static double? Nullable(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetDouble(ordinal);
}
