using System.Diagnostics;
using Galaxy.Operations.Postgres;
using Npgsql;

namespace Galaxy.Operations.Backup;

/// <summary>
/// Continuous WAL archiving into <see cref="BackupOptions.ArchiveDirectory"/>: the server copies every finished WAL
/// segment there (<c>archive_command</c>), and at least every <see cref="BackupOptions.ArchiveTimeoutSeconds"/> it
/// finishes a segment early, so a lost data folder costs at most that much acknowledged work.
/// </summary>
public sealed class WalArchive(BackupOptions options)
{
    private static readonly TimeSpan ArchiveWait = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The shell command the server runs for each segment: an existing file with the same bytes is success (a retry
    /// after a crash), other bytes are refused; a new one is copied under a temporary name, flushed, then renamed, so
    /// the archive never holds half a segment.
    /// </summary>
    public string ArchiveCommand
    {
        get
        {
            var folder = options.ArchiveDirectoryForServer;
            return $"if [ -f \"{folder}/%f\" ]; then cmp -s \"%p\" \"{folder}/%f\"; " +
                   $"else cp \"%p\" \"{folder}/%f.tmp\" && sync \"{folder}/%f.tmp\" && mv \"{folder}/%f.tmp\" \"{folder}/%f\" && sync \"{folder}\"; fi";
        }
    }

    /// <summary>The restore_command a restored server fetches segments with.</summary>
    public string RestoreCommand => $"cp \"{options.ArchiveDirectory}/%f\" \"%p\"";

    /// <summary>
    /// Makes the server archive into this folder. <c>archive_command</c> and <c>archive_timeout</c> are set with
    /// <c>ALTER SYSTEM</c> when this role may (a superuser); <c>archive_mode</c> needs a restart, so when it is off it
    /// is set and <see cref="ArchivingState.NeedsRestart"/> returned.
    /// </summary>
    public async Task<ArchivingState> EnsureAsync(string connectionString, ServerFacts facts, CancellationToken cancellationToken)
    {
        if (facts.WalLevel == "minimal")
        {
            throw new OperationsException("The server runs with wal_level = minimal, which cannot be archived: set wal_level = replica and restart it.");
        }

        var commandRight = facts.ArchiveCommand == ArchiveCommand && facts.ArchiveTimeoutSeconds == options.ArchiveTimeoutSeconds;
        var modeOn = facts.ArchiveMode is "on" or "always";
        if (commandRight && modeOn)
        {
            return ArchivingState.Ready;
        }

        if (!facts.IsSuperuser)
        {
            throw new OperationsException(
                $"The server does not archive WAL into {options.ArchiveDirectoryForServer}, and this role may not change that. Set, as a superuser:\n" +
                $"  archive_mode = on\n  archive_command = '{ArchiveCommand.Replace("'", "''", StringComparison.Ordinal)}'\n" +
                $"  archive_timeout = {options.ArchiveTimeoutSeconds}\nthen restart the server (archive_mode needs it) and run the backup again.");
        }

        await using var connection = await ServerFacts.OpenAsync(connectionString, cancellationToken);
        await ExecuteAsync(connection, $"ALTER SYSTEM SET archive_command = '{ArchiveCommand.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
        await ExecuteAsync(connection, $"ALTER SYSTEM SET archive_timeout = {options.ArchiveTimeoutSeconds}", cancellationToken);
        if (!modeOn)
        {
            await ExecuteAsync(connection, "ALTER SYSTEM SET archive_mode = on", cancellationToken);
        }

        await ExecuteAsync(connection, "SELECT pg_reload_conf()", cancellationToken);
        return modeOn ? ArchivingState.Ready : ArchivingState.NeedsRestart;
    }

    /// <summary>
    /// Ends the current WAL segment and waits until the server has archived it, or says why it cannot: everything
    /// committed before this call is then in the archive.
    /// </summary>
    public async Task<string> SwitchAndWaitAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = await ServerFacts.OpenAsync(connectionString, cancellationToken);
        var (failuresBefore, _) = await FailuresAsync(connection, cancellationToken);
        await using var switchCommand = new NpgsqlCommand("SELECT pg_walfile_name(pg_switch_wal())", connection);
        var segment = (string)(await switchCommand.ExecuteScalarAsync(cancellationToken))!;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var archived = new NpgsqlCommand("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver", connection);
            var last = (string)(await archived.ExecuteScalarAsync(cancellationToken))!;
            // Segment names of one timeline sort in WAL order; a later timeline's sorts after.
            if (string.CompareOrdinal(last.Length >= 24 ? last[..24] : last, segment) >= 0)
            {
                return segment;
            }

            var (failures, lastFailed) = await FailuresAsync(connection, cancellationToken);
            if (failures > failuresBefore && waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new OperationsException(
                    $"The server cannot archive WAL into {options.ArchiveDirectoryForServer} ({failures - failuresBefore} failed attempts, the last for {lastFailed}): " +
                    "check that the folder exists and the server's account may write it; the server's log has the command's error.");
            }

            if (waited.Elapsed > ArchiveWait)
            {
                throw new OperationsException($"WAL segment {segment} was not archived within {ArchiveWait.TotalSeconds:F0} s (last archived: {(last.Length == 0 ? "none" : last)}).");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// The archived segments of <paramref name="timeline"/> from <paramref name="first"/> on, as far as they run without
    /// a gap; a restore from a backup that starts at <paramref name="first"/> can replay up to the end of the last one.
    /// </summary>
    public ArchiveContinuity Continuity(WalSegmentName first)
    {
        var present = Directory.Exists(options.ArchiveDirectory)
            ? Directory.EnumerateFiles(options.ArchiveDirectory)
                .Select(path => (Ok: WalSegmentName.TryParse(Path.GetFileName(path), first.SegmentBytes, out var name), Name: name, Path: path))
                .Where(file => file.Ok && file.Name.Timeline == first.Timeline)
                .ToDictionary(file => file.Name.Segment, file => file.Path)
            : [];
        var last = (WalSegmentName?)null;
        var wrongSize = new List<string>();
        for (var segment = first; present.TryGetValue(segment.Segment, out var path); segment = segment.Next)
        {
            if (new FileInfo(path).Length != first.SegmentBytes)
            {
                wrongSize.Add(segment.ToString());
            }

            last = segment;
        }

        var gapAfter = last is { } end && present.Keys.Any(segment => segment > end.Segment + 1);
        return new ArchiveContinuity(first, last, gapAfter, wrongSize);
    }

    private static async Task<(long Failures, string? LastFailed)> FailuresAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT failed_count, last_failed_wal FROM pg_stat_archiver", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public enum ArchivingState
{
    /// <summary>The server archives into the folder.</summary>
    Ready,

    /// <summary><c>archive_mode</c> was set and takes effect when the server restarts.</summary>
    NeedsRestart,
}

/// <summary>How far the archive runs without a gap from a backup's first segment.</summary>
/// <param name="Last">The last segment of the unbroken run; null when even the first is missing.</param>
/// <param name="GapAfter">Later segments exist past a missing one: a restore stops at the gap.</param>
/// <param name="WrongSize">Segments whose size is not the server's segment size (damaged or truncated copies).</param>
public sealed record ArchiveContinuity(WalSegmentName First, WalSegmentName? Last, bool GapAfter, IReadOnlyList<string> WrongSize);
