using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Galaxy.Operations.Backup;
using Galaxy.Operations.Postgres;
using Npgsql;

namespace Galaxy.Operations.Restore;

/// <summary>
/// Point-in-time restore: a verified base backup laid down as a new data folder, a server started on it in archive
/// recovery (<c>recovery.signal</c>, segments fetched from the archive) until the <see cref="RecoveryTarget"/>,
/// promoted, its recovery settings and the lost cluster's membership removed, and the restored database read and
/// checked (<see cref="RestoredDatabase"/>).
/// </summary>
public sealed partial class Restorer(BackupStore store, PostgresTools tools, TimeProvider time)
{
    private const string LogFile = "restore.log";
    private static readonly string[] RecoverySettings =
        ["restore_command", "recovery_target", "recovery_target_time", "recovery_target_inclusive", "recovery_target_action"];

    public async Task<RestoreResult> RestoreAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        var backup = Choose(request);
        request.Progress($"verifying backup {backup.Id}", null);
        var failure = await BackupVerifier.VerifyFilesAsync(tools, store.PathOf(backup.Id), cancellationToken);
        if (failure is not null)
        {
            store.Save(backup with { VerifiedAt = time.GetUtcNow(), VerificationFailure = failure });
            throw new OperationsException($"Backup {backup.Id} failed verification and will not be restored: {failure}");
        }

        var movedAside = PrepareDataDirectory(request);
        var copy = Stopwatch.StartNew();
        await CopyAsync(store.PathOf(backup.Id), request.DataDirectory, request.Progress, cancellationToken);
        WriteRecoveryConfiguration(request);
        await tools.GiveToServerAsync(request.DataDirectory, cancellationToken);
        var copySeconds = copy.Elapsed.TotalSeconds;

        request.Progress($"replaying WAL to {request.Target}", null);
        var recovery = Stopwatch.StartNew();
        await StartAsync(request, cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(request.ConnectionString)
        {
            Host = "127.0.0.1", Port = request.Port, Pooling = false, Timeout = 15,
        }.ConnectionString;
        try
        {
            await WaitForPromotionAsync(request, connectionString, cancellationToken);
            var recoverySeconds = recovery.Elapsed.TotalSeconds;
            var timeline = await ResetRecoverySettingsAsync(connectionString, cancellationToken);
            await ForgetMembershipAsync(connectionString, cancellationToken);
            request.Progress("checking the restored database", null);
            var database = await RestoredDatabase.ReadAsync(connectionString, cancellationToken);
            return new RestoreResult(backup.Id, RestoredTo(request.DataDirectory), timeline, movedAside, database, copySeconds, recoverySeconds, connectionString);
        }
        finally
        {
            if (!request.KeepRunning)
            {
                await tools.RunAsServerAsync("pg_ctl", ["-D", request.DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
            }
        }
    }

    /// <summary>The backup to start from: the one asked for, or the newest verified one complete before the target.</summary>
    public BackupRecord Choose(RestoreRequest request)
    {
        if (request.BackupId is { } id)
        {
            var chosen = store.Get(id);
            if (request.Target is RecoveryTarget.TimeTarget { Time: var target } && chosen.FinishedAt > target)
            {
                throw new OperationsException($"Backup {id} finished at {chosen.FinishedAt:u}, after {request.Target}: a restore cannot go back before a backup's end.");
            }

            return chosen;
        }

        var candidates = store.List().Where(backup => backup.VerificationFailure is null).ToList();
        if (candidates.Count == 0)
        {
            throw new OperationsException($"There is no verified backup in {store.Options.BaseDirectory} (./galaxy backup takes one).");
        }

        if (request.Target is RecoveryTarget.TimeTarget { Time: var time })
        {
            return candidates.LastOrDefault(backup => backup.FinishedAt <= time)
                ?? throw new OperationsException(
                    $"No backup finished before {request.Target}; the oldest finished at {candidates[0].FinishedAt:u}.");
        }

        return candidates[^1];
    }

    private static string? PrepareDataDirectory(RestoreRequest request)
    {
        var folder = request.DataDirectory;
        if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.CreateDirectory(folder);
            return null;
        }

        if (!request.ReplaceExisting)
        {
            throw new OperationsException($"{folder} is not empty: restore into a new folder, or replace it (its data is moved aside, not deleted).");
        }

        if (File.Exists(Path.Combine(folder, "postmaster.pid")))
        {
            throw new OperationsException($"A server may be running on {folder} (it has a postmaster.pid): stop it first.");
        }

        var aside = $"{folder.TrimEnd('/')}.replaced-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        Directory.Move(folder, aside);
        Directory.CreateDirectory(folder);
        return aside;
    }

    private static async Task CopyAsync(string backup, string target, Action<string, double?> progress, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("PostgreSQL data folders are restored on Linux.");
        }

        var files = Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) is not (BackupRecord.FileName or "backup_manifest"))
            .Select(file => new FileInfo(file))
            .ToList();
        var total = Math.Max(1, files.Sum(file => file.Length));
        long copied = 0;
        var lastShown = Stopwatch.StartNew();
        foreach (var directory in Directory.EnumerateDirectories(backup, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(backup, directory)), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var file in files)
        {
            var destination = Path.Combine(target, Path.GetRelativePath(backup, file.FullName));
            await using (var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
            await using (var sink = new FileStream(destination, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 20, Options = FileOptions.Asynchronous,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, PreallocationSize = file.Length,
            }))
            {
                await source.CopyToAsync(sink, cancellationToken);
                sink.Flush(flushToDisk: true);
            }

            copied += file.Length;
            if (lastShown.ElapsedMilliseconds > 200)
            {
                progress($"copying the base backup ({copied / 1048576.0:N0} of {total / 1048576.0:N0} MiB)", (double)copied / total);
                lastShown.Restart();
            }
        }

        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        progress($"copied the base backup ({total / 1048576.0:N0} MiB)", 1);
    }

    private void WriteRecoveryConfiguration(RestoreRequest request)
    {
        var folder = request.DataDirectory;
        var config = Path.Combine(folder, "postgresql.conf");
        if (!File.Exists(config))
        {
            // A server whose configuration lives elsewhere (Debian's /etc/postgresql) backs up none.
            File.WriteAllText(config, "# Written by galaxy restore: the backed-up server kept its configuration outside its data folder.\n");
        }

        var hba = Path.Combine(folder, "pg_hba.conf");
        if (!File.Exists(hba))
        {
            File.WriteAllText(hba, "host all all 127.0.0.1/32 scram-sha-256\nhost replication all 127.0.0.1/32 scram-sha-256\nlocal all all peer\n");
        }

        var settings = new List<(string Name, string Value)> { ("restore_command", new WalArchive(store.Options).RestoreCommand) };
        settings.AddRange(request.Target.Settings);
        settings.Add(("recovery_target_action", "promote"));
        File.AppendAllLines(
            Path.Combine(folder, "postgresql.auto.conf"),
            settings.Select(setting => $"{setting.Name} = '{setting.Value.Replace("'", "''", StringComparison.Ordinal)}'"));
        File.WriteAllText(Path.Combine(folder, "recovery.signal"), "");
    }

    private async Task StartAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        // Reached over loopback TCP alone: a Unix socket in the data folder fails the start when the folder's path is
        // long (a socket's path is at most 107 bytes), as a trial restore's scratch folder can be.
        string[] options =
        [
            $"-c port={request.Port}", "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=''",
            "-c logging_collector=off", $"-c archive_mode={(request.ArchiveAfterRestore ? "on" : "off")}",
            .. await PrimarySettingsAsync(request.DataDirectory, cancellationToken),
        ];
        var start = await tools.RunAsServerAsync(
            "pg_ctl",
            ["-D", request.DataDirectory, "-l", Path.Combine(request.DataDirectory, LogFile), "-w", "-t", "3600", "-o", string.Join(' ', options), "start"],
            cancellationToken);
        if (!start.Succeeded)
        {
            throw new OperationsException($"The restored server did not start:\n{LogTail(request.DataDirectory)}");
        }
    }

    /// <summary>
    /// Recovery refuses to run with fewer connections, workers or locks than the backed-up server had (they size shared
    /// memory the WAL refers to); that server may have set them on its command line, outside any file the backup holds,
    /// so they are read from the backup's control file and given to the recovering server.
    /// </summary>
    private async Task<IEnumerable<string>> PrimarySettingsAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var control = (await tools.RunAsync("pg_controldata", [dataDirectory], cancellationToken: cancellationToken)).ThrowIfFailed("pg_controldata");
        var settings = new Dictionary<string, string>
        {
            ["max_connections setting"] = "max_connections",
            ["max_worker_processes setting"] = "max_worker_processes",
            ["max_wal_senders setting"] = "max_wal_senders",
            ["max_prepared_xacts setting"] = "max_prepared_transactions",
            ["max_locks_per_xact setting"] = "max_locks_per_transaction",
        };
        return control.Output.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && settings.ContainsKey(parts[0].Trim()))
            .Select(parts => $"-c {settings[parts[0].Trim()]}={parts[1].Trim()}");
    }

    private static async Task WaitForPromotionAsync(RestoreRequest request, string connectionString, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                if (!reader.GetBoolean(0))
                {
                    return;
                }

                request.Progress($"replaying WAL to {request.Target} (at {(reader.IsDBNull(1) ? "?" : reader.GetString(1))})", null);
            }
            catch (NpgsqlException) when (!File.Exists(Path.Combine(request.DataDirectory, "postmaster.pid")))
            {
                throw new OperationsException($"The restored server stopped during recovery:\n{LogTail(request.DataDirectory)}");
            }
            catch (NpgsqlException)
            {
                // Starting up or ending recovery: not answering for a moment.
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    // The recovery settings go once the server is promoted: a later restart must not start another recovery. The new
    // timeline is the first part of the current WAL file's name.
    private static async Task<int> ResetRecoverySettingsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var super = new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", connection))
        {
            if ((bool)(await super.ExecuteScalarAsync(cancellationToken))!)
            {
                foreach (var setting in RecoverySettings)
                {
                    await using var reset = new NpgsqlCommand($"ALTER SYSTEM RESET {setting}", connection);
                    await reset.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }

        await using var timeline = new NpgsqlCommand("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)", connection);
        return int.Parse((string)(await timeline.ExecuteScalarAsync(cancellationToken))!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The restored membership table lists the silos of the cluster that was lost, as alive: new silos would wait to
    /// reach them before they join. Membership is not data (silos write it as they join), so it does not come back.
    /// </summary>
    private static async Task ForgetMembershipAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var forget = new NpgsqlCommand(
            """
            DO $$ BEGIN
                IF to_regclass('orleansmembershiptable') IS NOT NULL THEN DELETE FROM OrleansMembershipTable; END IF;
                IF to_regclass('orleansmembershipversiontable') IS NOT NULL THEN DELETE FROM OrleansMembershipVersionTable; END IF;
            END $$
            """, connection);
        await forget.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The last replayed commit's time, as the server logged it at the end of recovery.</summary>
    private static DateTimeOffset? RestoredTo(string dataDirectory)
    {
        var log = Path.Combine(dataDirectory, LogFile);
        var match = File.Exists(log) ? LastTransaction().Matches(File.ReadAllText(log)).LastOrDefault() : null;
        return match is null
            ? null
            : DateTimeOffset.Parse(
                match.Groups[1].Value + (match.Groups[2].Value.Contains(':', StringComparison.Ordinal) ? "" : ":00"), CultureInfo.InvariantCulture);
    }

    private static string LogTail(string dataDirectory)
    {
        var log = Path.Combine(dataDirectory, LogFile);
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(15)) : "(no log)";
    }

    // "last completed transaction was at log time 2026-12-01 12:00:03.123456+00"
    [GeneratedRegex(@"last completed transaction was at log time (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?([+-]\d\d(?::\d\d)?))")]
    private static partial Regex LastTransaction();
}
