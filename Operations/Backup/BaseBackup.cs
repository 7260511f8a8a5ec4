using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Backup;

/// <summary>
/// Takes one base backup with <c>pg_basebackup</c>: a plain copy of the data folder, with the WAL that makes it
/// consistent streamed alongside (so it restores on its own) and a manifest of SHA-256 checksums for every file;
/// then verifies it with <c>pg_verifybackup</c> before it counts as a backup.
/// </summary>
public sealed partial class BaseBackup(BackupStore store, PostgresTools tools, TimeProvider time)
{
    /// <summary>Progress: kilobytes copied and the server's estimate of the total.</summary>
    public delegate void Progress(long doneKilobytes, long totalKilobytes);

    public async Task<BackupRecord> TakeAsync(string connectionString, ServerFacts facts, Progress? progress, CancellationToken cancellationToken)
    {
        if (facts.InRecovery)
        {
            throw new OperationsException("The server is still recovering (a standby, or a restore in progress): back up its primary, or wait until it is promoted.");
        }

        if (!facts.CanReplicate)
        {
            throw new OperationsException("This role may not take base backups: it needs the REPLICATION attribute (ALTER ROLE … REPLICATION) and a 'replication' line in pg_hba.conf.");
        }

        if (tools.MajorVersion < facts.MajorVersion)
        {
            throw new OperationsException($"pg_basebackup {tools.MajorVersion} cannot back up a PostgreSQL {facts.MajorVersion} server: install its version's client programs (or set {PostgresTools.BinEnvironmentVariable}).");
        }

        var started = time.GetUtcNow();
        var (id, folder) = store.Begin(started);
        var run = await tools.RunAsync(
            "pg_basebackup",
            ["-d", LibpqConnection.Keywords(connectionString), "-D", folder, "-Fp", "-X", "stream", "-c", "fast", "-P",
             "--manifest-checksums=SHA256", "-l", $"galaxy {id}"],
            LibpqConnection.Environment(connectionString),
            line =>
            {
                if (progress is not null && ProgressLine().Match(line) is { Success: true } match)
                {
                    progress(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                }
            },
            cancellationToken);
        run.ThrowIfFailed("pg_basebackup");
        var finished = time.GetUtcNow();

        var (timeline, startLsn, endLsn) = ReadWalRange(folder);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(file => new FileInfo(file)).ToList();
        var record = new BackupRecord
        {
            Id = id,
            ServerVersion = facts.Version,
            SystemIdentifier = facts.SystemIdentifier.ToString(CultureInfo.InvariantCulture),
            Timeline = timeline,
            StartLsn = startLsn,
            EndLsn = endLsn,
            StartWalFile = ReadStartWalFile(folder),
            WalSegmentBytes = facts.WalSegmentBytes,
            StartedAt = started,
            FinishedAt = finished,
            Bytes = files.Sum(file => file.Length),
            Files = files.Count,
        };

        var failure = await BackupVerifier.VerifyFilesAsync(tools, folder, cancellationToken);
        if (failure is not null)
        {
            throw new OperationsException($"The backup just taken failed verification, so it was not kept (its files are in {folder}): {failure}");
        }

        record = record with { VerifiedAt = time.GetUtcNow() };
        store.Complete(id, record);
        return record;
    }

    // The manifest's WAL range: the timeline, where the backup started and where it became consistent.
    private static (int Timeline, string Start, string End) ReadWalRange(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "backup_manifest")));
        var ranges = manifest.RootElement.GetProperty("WAL-Ranges");
        var first = ranges[0];
        var last = ranges[ranges.GetArrayLength() - 1];
        return (last.GetProperty("Timeline").GetInt32(), first.GetProperty("Start-LSN").GetString()!, last.GetProperty("End-LSN").GetString()!);
    }

    // backup_label: "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)".
    private static string ReadStartWalFile(string folder)
    {
        var match = StartWalLine().Match(File.ReadAllText(Path.Combine(folder, "backup_label")));
        return match.Success ? match.Groups[1].Value : throw new OperationsException($"{folder}/backup_label names no start WAL file.");
    }

    // "  12345/67890 kB (18%), 0/1 tablespace"
    [GeneratedRegex(@"^\s*(\d+)/(\d+) kB")]
    private static partial Regex ProgressLine();

    [GeneratedRegex(@"START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)")]
    private static partial Regex StartWalLine();
}
