using System.Diagnostics;
using Galaxy.Client;
using Galaxy.Contracts;
using Galaxy.Operations.Backup;
using Galaxy.Operations.Postgres;
using Galaxy.Operations.Restore;
using Galaxy.Testing.Failover;
using Galaxy.Testing.Processes;
using UnitState = Galaxy.Contracts.UnitResponse;

namespace Galaxy.Testing.Recovery;

/// <summary>How long a <see cref="RecoveryDrill"/> learns before and after its backup, and how hard.</summary>
public sealed record RecoveryDrillOptions
{
    /// <summary>Concurrent learners; each owns every Workers-th unit, so a unit has one learn in flight at a time.</summary>
    public int Workers { get; init; } = 32;

    public TimeSpan BeforeBackup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Learning between the backup and the loss of the data folder: what the WAL archive must bring back.</summary>
    public TimeSpan AfterBackup { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Also make a dataset, a model and a short training job before the backup, and hold them to the restore.</summary>
    public bool ControlPlane { get; init; } = true;

    public Action<string> Progress { get; init; } = _ => { };
}

/// <summary>
/// The recovery drill of issue #20 against a <see cref="LocalGalaxy"/> whose PostgreSQL archives its WAL: under a learn
/// load with a client ledger (<see cref="AcknowledgedLearns"/>) a base backup is taken and learning goes on; then the
/// data folder is destroyed (the server crashes, the folder is deleted), the galaxy is stopped, the database restored
/// to the last moment the archive holds, and the galaxy started again. Every unit is held to the ledger: nothing
/// acknowledged at or before the restore point may be missing, and each unit's parameters must be its restored
/// revision's learns replayed from its seed.
/// </summary>
public sealed class RecoveryDrill(LocalGalaxy galaxy, int units, BackupOptions backupOptions, RecoveryDrillOptions options)
{
    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => MathF.Cos(i + 1)).ToArray();
    private static readonly float[] Target = [0.25f, 0.5f, -0.5f, 0];

    private readonly AcknowledgedLearns[] _ledgers = Enumerable.Range(0, units).Select(_ => new AcknowledgedLearns()).ToArray();
    private long _acknowledged;
    private long _anomalies;

    public async Task<RecoveryReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var tools = PostgresTools.Find();
        var store = new BackupStore(backupOptions);
        var archive = new WalArchive(backupOptions);
        var connectionString = galaxy.Database.ConnectionString;
        Directory.CreateDirectory(backupOptions.ArchiveDirectory);
        await tools.GiveToServerAsync(backupOptions.ArchiveDirectory, cancellationToken);

        var facts = await ServerFacts.ReadAsync(connectionString, cancellationToken);
        if (await archive.EnsureAsync(connectionString, facts, cancellationToken) != ArchivingState.Ready)
        {
            throw new InvalidOperationException("The drill's PostgreSQL must start with archive_mode=on.");
        }

        await archive.SwitchAndWaitAsync(connectionString, cancellationToken);

        ControlPlaneSnapshot? controlPlane = null;
        using (var http = galaxy.CreateHttpClient(TimeSpan.FromSeconds(30)))
        {
            var client = await galaxy.SignInAsync(http, cancellationToken);
            if (options.ControlPlane)
            {
                options.Progress("registering a dataset and a model, training a version");
                controlPlane = await ControlPlaneSnapshot.CreateAsync(client, cancellationToken);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var learners = Enumerable.Range(0, options.Workers).Select(worker => Task.Run(() => LearnAsync(client, worker, stop.Token))).ToArray();
            var learningSince = Stopwatch.StartNew();
            BackupRecord backup;
            DateTimeOffset destroyedAt;
            double learnsPerSecond;
            try
            {
                await Task.Delay(options.BeforeBackup, cancellationToken);
                options.Progress($"{Interlocked.Read(ref _acknowledged):N0} learns acknowledged; taking a base backup under load");
                backup = await new BaseBackup(store, tools, TimeProvider.System).TakeAsync(connectionString, facts, null, cancellationToken);
                await archive.SwitchAndWaitAsync(connectionString, cancellationToken);
                options.Progress($"backup {backup.Id}: {backup.Bytes / 1048576.0:N0} MiB in {(backup.FinishedAt - backup.StartedAt).TotalSeconds:F1} s; learning on");

                await Task.Delay(options.AfterBackup, cancellationToken);
                learnsPerSecond = Interlocked.Read(ref _acknowledged) / learningSince.Elapsed.TotalSeconds;
                destroyedAt = DateTimeOffset.UtcNow;
                await galaxy.Database.DestroyAsync(cancellationToken);
                options.Progress($"{Interlocked.Read(ref _acknowledged):N0} learns acknowledged; the data folder is destroyed");
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(learners.Select(learner => learner.ContinueWith(_ => { }, TaskScheduler.Default)));
            }

            var restoreStart = Stopwatch.StartNew();
            var shownPhase = "";
            await galaxy.StopProcessesAsync();
            var restore = await new Restorer(store, tools, TimeProvider.System).RestoreAsync(
                new RestoreRequest
                {
                    DataDirectory = galaxy.Database.DataDirectory,
                    Port = galaxy.Database.Port,
                    ConnectionString = connectionString,
                    // Each phase once (copying, replaying, checking), not every step of it.
                    Progress = (phase, _) =>
                    {
                        var name = phase.Split(" (")[0];
                        if (name != shownPhase)
                        {
                            shownPhase = name;
                            options.Progress($"restore: {phase}");
                        }
                    },
                },
                cancellationToken);
            var restoreSeconds = restoreStart.Elapsed.TotalSeconds;
            var restorePoint = restore.RestoredTo
                ?? throw new InvalidOperationException("The restore replayed no transaction past the backup: the archive held nothing of the load.");
            options.Progress($"restored to {restorePoint:HH:mm:ss.ffffff} ({(destroyedAt - restorePoint).TotalSeconds:F2} s before the loss) in {restoreSeconds:F1} s; starting the galaxy");
            await galaxy.Database.StartAsync(cancellationToken);
            await galaxy.RestartProcessesAsync(cancellationToken);

            using var httpAfter = galaxy.CreateHttpClient(TimeSpan.FromSeconds(30));
            var after = await galaxy.SignInAsync(httpAfter, cancellationToken);
            await WithRetriesAsync(() => after.GetUnitAsync(0, cancellationToken));
            var recoveryTime = restoreStart.Elapsed.TotalSeconds;
            options.Progress($"serving again {recoveryTime:F1} s after the restore began; reading every unit back");

            var check = await CheckAsync(after, restorePoint, backup.FinishedAt, cancellationToken);
            return new RecoveryReport
            {
                Units = check.Units,
                Acknowledged = Interlocked.Read(ref _acknowledged),
                LostBeforeRestorePoint = check.LostBefore,
                LostAfterRestorePoint = check.LostAfter,
                RecoveredFromArchive = check.FromArchive,
                RecoveryPointSeconds = check.OldestLost is { } oldest ? (destroyedAt - oldest).TotalSeconds : 0,
                RestorePointAgeSeconds = (destroyedAt - restorePoint).TotalSeconds,
                RecoveryTimeSeconds = recoveryTime,
                RestoreSeconds = restoreSeconds,
                BackupSeconds = (backup.FinishedAt - backup.StartedAt).TotalSeconds,
                BackupBytes = backup.Bytes,
                UnitsDiverged = check.Diverged,
                Anomalies = Interlocked.Read(ref _anomalies),
                LearnsPerSecond = learnsPerSecond,
                ControlPlaneProblem = controlPlane is null ? null : await controlPlane.CompareAsync(after, cancellationToken),
                RestoredDatabase = restore.Database.Summary,
                AuditIntact = restore.Database.AuditIntact,
            };
        }
    }

    /// <summary>One learner: its units in turn; a failed learn is retried on the same unit with the same If-Match.</summary>
    private async Task LearnAsync(GalaxyClient client, int worker, CancellationToken stop)
    {
        for (var unit = worker; !stop.IsCancellationRequested;)
        {
            var ledger = _ledgers[unit];
            try
            {
                var receipt = await client.LearnAsync(unit, Input, Target, expectedRevision: ledger.Revision, cancellationToken: stop);
                if (receipt.Revision != ledger.Revision + 1)
                {
                    Interlocked.Increment(ref _anomalies);
                }

                ledger.Acknowledge(receipt.Revision, DateTimeOffset.UtcNow);
                Interlocked.Increment(ref _acknowledged);
            }
            catch (GalaxyRevisionMismatchException mismatch) when (mismatch.CurrentRevision is { } current)
            {
                if (current != ledger.Revision + 1)
                {
                    Interlocked.Increment(ref _anomalies);
                }

                ledger.Observe(current);
            }
            catch (Exception exception) when (exception is GalaxyApiException or HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            unit += options.Workers;
            if (unit >= units)
            {
                unit = worker;
            }
        }
    }

    /// <summary>Every unit learned on, read back and held to its ledger and to a replay of its restored revision.</summary>
    private async Task<(int Units, long LostBefore, long LostAfter, long FromArchive, DateTimeOffset? OldestLost, int Diverged)> CheckAsync(
        GalaxyClient client, DateTimeOffset restorePoint, DateTimeOffset backupFinished, CancellationToken cancellationToken)
    {
        var touched = Enumerable.Range(0, units).Where(unit => _ledgers[unit].Revision > 0).ToArray();
        var states = new UnitState[touched.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, touched.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, token) => states[i] = await WithRetriesAsync(() => client.GetUnitAsync(touched[i], token)));

        long lostBefore = 0, lostAfter = 0, fromArchive = 0;
        DateTimeOffset? oldestLost = null;
        for (var i = 0; i < touched.Length; i++)
        {
            foreach (var (revision, at) in _ledgers[touched[i]].Acknowledged)
            {
                if (revision <= states[i].Revision)
                {
                    fromArchive += at > backupFinished ? 1 : 0;
                    continue;
                }

                if (at <= restorePoint)
                {
                    lostBefore++;
                }
                else
                {
                    lostAfter++;
                }

                oldestLost = oldestLost is { } oldest && oldest < at ? oldest : at;
            }
        }

        // Restored state is whole: each unit's parameters are its restored revision's learns replayed on its seed.
        var expected = await LearnReplay.ParametersAfterAsync(touched, states.Select(state => state.Revision).ToArray(), Input, Target, galaxy.Topology);
        var diverged = Enumerable.Range(0, touched.Length).Count(i =>
            LearnReplay.LargestDifference(expected[i], states[i].Parameters) > 0 || states[i].Learns != states[i].Revision);
        return (touched.Length, lostBefore, lostAfter, fromArchive, oldestLost, diverged);
    }

    private static async Task<T> WithRetriesAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (exception is GalaxyUnavailableException or GalaxyApiException { Status: System.Net.HttpStatusCode.GatewayTimeout } && attempt < 120)
            {
                await Task.Delay(250);
            }
        }
    }
}
