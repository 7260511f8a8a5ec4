using System.Diagnostics;
using System.Net;
using Galaxy.Client;
using Galaxy.Contracts;
using Galaxy.Testing.Processes;
using UnitState = Galaxy.Contracts.UnitResponse;

namespace Galaxy.Testing.Failover;

/// <summary>How hard and how long a <see cref="FailoverDrill"/> pushes.</summary>
public sealed record FailoverDrillOptions
{
    /// <summary>Concurrent learners; each owns every Workers-th unit, so a unit has one learn in flight at a time.</summary>
    public int Workers { get; init; } = 64;

    /// <summary>
    /// Predict on every unit first, so that all are active when the silo dies; otherwise the learners activate the
    /// units they reach.
    /// </summary>
    public bool ActivateAll { get; init; } = true;

    /// <summary>Learning before the kill.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No failure for this long (and no learner still failing) ends a recovery.</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>An answer slower than this interrupts service as a failure does (a healthy learn takes milliseconds).</summary>
    public TimeSpan Slow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a recovery may take before the drill gives up on it.</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan DatabaseOutage { get; init; } = TimeSpan.FromSeconds(5);

    public int KilledSilo { get; init; } = 1;

    public Action<string> Progress { get; init; } = _ => { };
}

/// <summary>
/// The failover drill of issue #7 against a <see cref="LocalGalaxy"/>: learners keep every unit learning through the
/// gateway, each with a ledger of what was acknowledged (<see cref="UnitLedger"/>); one silo is killed with SIGKILL,
/// then PostgreSQL is crashed and restarted, all under load. At the end every unit learned on is read back and held to
/// its ledger: revision, learn counter, and parameters equal to replaying its learns on the seeded weights.
/// </summary>
public sealed class FailoverDrill(LocalGalaxy galaxy, int units, FailoverDrillOptions options)
{
    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => MathF.Sin(i + 1)).ToArray();
    private static readonly float[] Target = [0.5f, -0.25f, 0.75f, 0];

    private readonly UnitLedger[] _ledgers = Enumerable.Range(0, units).Select(_ => new UnitLedger()).ToArray();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<Attempt> _failures = [];
    private readonly List<(TimeSpan Since, TimeSpan Until)> _streaks = [];
    private readonly long[] _inFlightSince = Enumerable.Repeat(long.MaxValue, options.Workers).ToArray();
    private int _failing;
    private long _acknowledged;
    private long _outageAcknowledged;
    private TimeSpan _lastFailure;
    private long _unexpected;

    // Learns sent between PostgreSQL's stop and its restart: none may be acknowledged.
    private TimeSpan _databaseStopped = TimeSpan.MaxValue;
    private TimeSpan _databaseRestarting = TimeSpan.MaxValue;

    public async Task<FailoverReport> RunAsync(CancellationToken cancellationToken = default)
    {
        using var http = galaxy.CreateHttpClient(TimeSpan.FromSeconds(30));
        var client = await galaxy.SignInAsync(http, cancellationToken);

        if (options.ActivateAll)
        {
            options.Progress($"activating {units:N0} units");
            await ActivateAsync(client, cancellationToken);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var learners = Enumerable.Range(0, options.Workers).Select(worker => Task.Run(() => LearnAsync(client, worker, stop.Token))).ToArray();
        try
        {
            var warmUpStart = (Acknowledged: Interlocked.Read(ref _acknowledged), At: _clock.Elapsed);
            await Task.Delay(options.WarmUp, cancellationToken);
            var beforeKill = (Interlocked.Read(ref _acknowledged) - warmUpStart.Acknowledged) / (_clock.Elapsed - warmUpStart.At).TotalSeconds;

            options.Progress($"learning at {beforeKill:N0}/s; killing silo {options.KilledSilo}");
            var killedAt = _clock.Elapsed;
            galaxy.KillSilo(options.KilledSilo);
            var (recovered, recovery) = await RecoveryAsync(killedAt, cancellationToken);
            options.Progress(recovered ? $"serving again {recovery:F1} s after the kill" : "not recovered");

            options.Progress($"crashing PostgreSQL for {options.DatabaseOutage.TotalSeconds:F0} s");
            await galaxy.Database.StopAsync(crash: true, cancellationToken);
            var down = _clock.Elapsed;
            lock (_lock)
            {
                _databaseStopped = down;
            }

            await Task.Delay(options.DatabaseOutage, cancellationToken);
            var restarting = _clock.Elapsed;
            lock (_lock)
            {
                _databaseRestarting = restarting;
            }

            await galaxy.Database.StartAsync(cancellationToken);
            var up = _clock.Elapsed;
            var (databaseRecovered, databaseRecovery) = await RecoveryAsync(up, cancellationToken);
            options.Progress(databaseRecovered ? $"serving again {databaseRecovery:F1} s after PostgreSQL's restart" : "not recovered");

            await stop.CancelAsync();
            await Task.WhenAll(learners);

            options.Progress("reading every unit back");
            var check = await CheckAsync(client, cancellationToken);
            List<Attempt> outageFailures;
            string failures;
            lock (_lock)
            {
                outageFailures = _failures.Where(attempt => attempt.Start > down && attempt.Start < restarting).ToList();
                failures = string.Join("; ", _failures
                    .GroupBy(attempt => attempt.Start < killedAt ? "before the kill" : attempt.Start < down ? "after the kill"
                        : attempt.Start < restarting ? "PostgreSQL down" : "after the restart")
                    .Select(phase => $"{phase.Key}: " + string.Join(", ", phase
                        .GroupBy(attempt => (int)attempt.Status).OrderBy(status => status.Key)
                        .Select(status => $"{status.Count()}×{status.Key}"))));
            }

            return new FailoverReport
            {
                Units = check.Units,
                Acknowledged = _ledgers.Sum(ledger => ledger.Acknowledged),
                LandedUnanswered = _ledgers.Sum(ledger => ledger.Learns - ledger.Acknowledged),
                LostAcknowledged = _ledgers.Sum(ledger => ledger.Lost),
                Anomalies = _ledgers.Sum(ledger => ledger.Anomalies),
                UnitsDiverged = check.Diverged,
                LargestParameterDifference = check.LargestDifference,
                UnexpectedAnswers = Interlocked.Read(ref _unexpected),
                LearnsPerSecondBeforeKill = beforeKill,
                RecoverySeconds = recovery,
                Recovered = recovered,
                OutageFailures = outageFailures.Count,
                OutageFailuresNot503 = outageFailures.Count(attempt => attempt.Status != HttpStatusCode.ServiceUnavailable),
                OutageSlowestAnswerMs = outageFailures.Select(attempt => (attempt.End - attempt.Start).TotalMilliseconds).DefaultIfEmpty().Max(),
                OutageAcknowledged = _outageAcknowledged,
                DatabaseRecoverySeconds = databaseRecovery,
                DatabaseRecovered = databaseRecovered,
                Failures = failures,
            };
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(learners.Select(learner => learner.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    /// <summary>
    /// Waits until no learner has failed or been slow for <see cref="FailoverDrillOptions.Quiet"/>, none is failing and
    /// none has a request out for longer than <see cref="FailoverDrillOptions.Slow"/>; then answers how long after
    /// <paramref name="fault"/> the last interruption ended.
    /// </summary>
    private async Task<(bool Recovered, double Seconds)> RecoveryAsync(TimeSpan fault, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(100, cancellationToken);
            var now = _clock.Elapsed;
            var oldestInFlight = long.MaxValue;
            for (var worker = 0; worker < _inFlightSince.Length; worker++)
            {
                oldestInFlight = Math.Min(oldestInFlight, Volatile.Read(ref _inFlightSince[worker]));
            }

            lock (_lock)
            {
                var quiet = _failing == 0
                            && (oldestInFlight == long.MaxValue || now - TimeSpan.FromTicks(oldestInFlight) < options.Slow)
                            && now - Max(_lastFailure, fault) >= options.Quiet;
                if (quiet || now - fault > options.RecoveryBound)
                {
                    var lastRecovered = _streaks.Select(streak => streak.Until).Where(until => until >= fault).DefaultIfEmpty(fault).Max();
                    return (quiet, (lastRecovered - fault).TotalSeconds);
                }
            }
        }
    }

    private async Task ActivateAsync(GalaxyClient client, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(0, units),
            new ParallelOptions { MaxDegreeOfParallelism = 256, CancellationToken = cancellationToken },
            async (unit, token) => await WithRetriesAsync(() => client.PredictAsync(unit, Input, cancellationToken: token)));

    /// <summary>One learner: its units in turn, retrying the same unit (after a pause) until an answer settles it.</summary>
    private async Task LearnAsync(GalaxyClient client, int worker, CancellationToken stop)
    {
        TimeSpan? failingSince = null;
        for (var unit = worker; !stop.IsCancellationRequested;)
        {
            var ledger = _ledgers[unit];
            var start = _clock.Elapsed;
            Volatile.Write(ref _inFlightSince[worker], start.Ticks);
            HttpStatusCode? failure = null;
            try
            {
                var receipt = await client.LearnAsync(unit, Input, Target, expectedRevision: ledger.Revision, cancellationToken: stop);
                ledger.Acknowledge(receipt.Revision);
                Interlocked.Increment(ref _acknowledged);
                CountIfSentDuringOutage(start);
            }
            catch (GalaxyRevisionMismatchException mismatch) when (mismatch.CurrentRevision is { } current)
            {
                ledger.Observe(current);
            }
            catch (GalaxyApiException problem)
            {
                failure = problem.Status;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                failure = HttpStatusCode.RequestTimeout;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            var end = _clock.Elapsed;
            Volatile.Write(ref _inFlightSince[worker], long.MaxValue);
            if (failure is { } status)
            {
                Record(new Attempt(start, end, status), ref failingSince);
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            if (end - start > options.Slow)
            {
                // Served, but so late that the service was interrupted: the interruption ends with a prompt answer.
                BeginInterruption(start, end, ref failingSince);
                continue;
            }

            if (failingSince is { } since)
            {
                lock (_lock)
                {
                    _streaks.Add((since, end));
                    _failing--;
                }

                failingSince = null;
            }

            unit += options.Workers;
            if (unit >= units)
            {
                unit = worker;
            }
        }

        if (failingSince is not null)
        {
            lock (_lock)
            {
                _failing--;
            }
        }
    }

    private void Record(Attempt attempt, ref TimeSpan? failingSince)
    {
        if (attempt.Status is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout))
        {
            Interlocked.Increment(ref _unexpected);
        }

        lock (_lock)
        {
            _failures.Add(attempt);
        }

        BeginInterruption(attempt.Start, attempt.End, ref failingSince);
    }

    private void BeginInterruption(TimeSpan start, TimeSpan end, ref TimeSpan? failingSince)
    {
        lock (_lock)
        {
            _lastFailure = Max(_lastFailure, end);
            if (failingSince is null)
            {
                _failing++;
            }
        }

        failingSince ??= start;
    }

    private void CountIfSentDuringOutage(TimeSpan start)
    {
        lock (_lock)
        {
            if (start > _databaseStopped && start < _databaseRestarting)
            {
                _outageAcknowledged++;
            }
        }
    }

    /// <summary>Every unit learned on, read back and compared with its ledger and with a replay of its learns.</summary>
    private async Task<(int Units, int Diverged, float LargestDifference)> CheckAsync(GalaxyClient client, CancellationToken cancellationToken)
    {
        var touched = Enumerable.Range(0, units).Where(unit => _ledgers[unit].Revision > 0 || _ledgers[unit].Learns > 0).ToArray();
        var states = new UnitState[touched.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, touched.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, token) => states[i] = await WithRetriesAsync(() => client.GetUnitAsync(touched[i], token)));

        for (var i = 0; i < touched.Length; i++)
        {
            _ledgers[touched[i]].Observe(states[i].Revision);
        }

        var expected = await LearnReplay.ParametersAfterAsync(
            touched, touched.Select(unit => _ledgers[unit].Learns).ToArray(), Input, Target, galaxy.Topology);
        var diverged = 0;
        var largest = 0f;
        for (var i = 0; i < touched.Length; i++)
        {
            var difference = LearnReplay.LargestDifference(expected[i], states[i].Parameters);
            largest = Math.Max(largest, difference);
            if (difference > 0 || states[i].Learns != _ledgers[touched[i]].Learns)
            {
                diverged++;
            }
        }

        return (touched.Length, diverged, largest);
    }

    private static async Task<T> WithRetriesAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (GalaxyUnavailableException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record Attempt(TimeSpan Start, TimeSpan End, HttpStatusCode Status);
}
