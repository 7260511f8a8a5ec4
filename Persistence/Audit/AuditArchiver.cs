using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// Retention: moves whole periods of the audit chain out of the database (schema 0023 keeps one partition per month).
/// Oldest first, each partition before the cut-off is written to an archive file with the signed checkpoints that
/// witnessed its rows and the hash of the row before it, the file is read back and verified against those checkpoints,
/// and only then is the partition dropped, in the transaction that records a signed archive event naming the file, its
/// SHA-256 and the last row's hash. Verification of the chain online then starts from that hash. A partition with a row
/// no checkpoint has witnessed is refused, and so is the partition still appended to. Run as the schema's owner.
/// </summary>
public sealed class AuditArchiver(
    NpgsqlDataSource database, AuditCheckpointWriter writer, IReadOnlyDictionary<string, AuditVerificationKey> trustedKeys)
{
    /// <summary>Archives, oldest first, every partition of a period before <paramref name="before"/> into <paramref name="directory"/>.</summary>
    /// <exception cref="AuditArchiveRefusedException">A partition cannot be archived; those before it were.</exception>
    public async Task<IReadOnlyList<ArchivedPartition>> ArchiveAsync(DateOnly before, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var archived = new List<ArchivedPartition>();
        foreach (var partition in await PartitionsBeforeAsync(before, cancellationToken))
        {
            archived.Add(await ArchiveAsync(partition, directory, cancellationToken));
        }

        return archived;
    }

    private async Task<ArchivedPartition> ArchiveAsync(Partition partition, string directory, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var findings = new List<string>();
        var witnessed = await writer.WitnessedAsync(connection, cancellationToken);
        var history = WitnessedHistory.From(witnessed, trustedKeys, findings);
        if (findings.Count > 0)
        {
            throw new AuditArchiveRefusedException(partition.Name, $"the witness does not verify: {string.Join("; ", findings)}");
        }

        if (partition.FromSeq != history.ArchivedThrough + 1 || partition.Rows != partition.ToSeq - partition.FromSeq + 1)
        {
            throw new AuditArchiveRefusedException(partition.Name,
                $"it holds rows {partition.FromSeq:N0} to {partition.ToSeq:N0} ({partition.Rows:N0} of them), but the chain online starts at row {history.ArchivedThrough + 1:N0}");
        }

        if (partition.ToSeq > history.WitnessedThrough)
        {
            throw new AuditArchiveRefusedException(partition.Name,
                $"rows {Math.Max(partition.FromSeq, history.WitnessedThrough + 1):N0} to {partition.ToSeq:N0} are not witnessed by a signed checkpoint; " +
                "sign one (galaxy-cli audit checkpoint) and archive again");
        }

        var path = Path.Combine(directory, AuditArchive.FileName(partition.Name));
        var header = new AuditArchive(
            AuditArchive.CurrentFormat, partition.Name, partition.Period.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            partition.FromSeq, partition.ToSeq, Convert.ToHexStringLower(history.ArchivedHeadHash), 0);
        var (rows, lastHash) = await header.WriteAsync(
            path, Covering(witnessed, partition), AuditRows.ReadPeriodAsync(connection, partition.Period, cancellationToken), cancellationToken);

        var report = await AuditArchiveVerifier.VerifyAsync(path, trustedKeys, cancellationToken);
        if (!report.Intact || report.RowsChecked != rows)
        {
            File.Delete(path);
            throw new AuditArchiveRefusedException(partition.Name,
                $"its archive does not verify: {report.Reason ?? string.Join("; ", report.Findings)}; nothing was dropped");
        }

        string sha256;
        await using (var file = File.OpenRead(path))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }

        var archiveEvent = await writer.RecordArchiveAsync(
            partition.ToSeq, lastHash, $"{Path.GetFileName(path)} sha256:{sha256}", drop => DropAsync(drop, partition.Name, cancellationToken), cancellationToken);
        return new ArchivedPartition(partition.Name, partition.FromSeq, partition.ToSeq, path, sha256, archiveEvent!);
    }

    /// <summary>
    /// The consecutive checkpoints, by id, from the first that witnessed one of the partition's rows to the last: every
    /// one in between too (a restore, an archive), so that they verify as a chain of their own.
    /// </summary>
    private static List<AuditCheckpoint> Covering(IReadOnlyList<AuditCheckpoint> witnessed, Partition partition)
    {
        var covering = witnessed
            .Where(checkpoint => checkpoint.Kind != AuditCheckpoint.Kinds.Archive && checkpoint.FromSeq <= partition.ToSeq && checkpoint.Seq >= partition.FromSeq)
            .Select(checkpoint => checkpoint.Id)
            .ToList();
        return witnessed.Where(checkpoint => checkpoint.Id >= covering.Min() && checkpoint.Id <= covering.Max()).ToList();
    }

    /// <summary>Partitions of periods before <paramref name="before"/> and before the head's, oldest first, with their rows' range.</summary>
    private async Task<List<Partition>> PartitionsBeforeAsync(DateOnly before, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT tableoid::regclass::text, period, min(seq), max(seq), count(*)
            FROM galaxy_audit
            WHERE period < $1 AND period < (SELECT period FROM galaxy_audit_head)
            GROUP BY tableoid, period
            ORDER BY period
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var partitions = new List<Partition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            partitions.Add(new Partition(
                reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return partitions;
    }

    private static async Task DropAsync(NpgsqlConnection connection, string partition, CancellationToken cancellationToken)
    {
        // Detaching locks the whole table; a verification reading it holds the lock up: give up rather than stall appends behind it.
        await using var command = new NpgsqlCommand($"""
            SET LOCAL lock_timeout = '10s';
            ALTER TABLE galaxy_audit DETACH PARTITION "{partition}";
            DROP TABLE "{partition}";
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Partition(string Name, DateOnly Period, long FromSeq, long ToSeq, long Rows);
}

/// <summary>A partition written to its archive, verified, and dropped; <see cref="Event"/> is the signed record of it.</summary>
public sealed record ArchivedPartition(string Partition, long FromSeq, long ToSeq, string File, string Sha256, AuditCheckpoint Event);

/// <summary>A partition that was not archived, and why; nothing of it was dropped.</summary>
public sealed class AuditArchiveRefusedException(string partition, string reason)
    : Exception($"{partition} was not archived: {reason}.");
