using Galaxy.Registry.Deployments;
using Galaxy.Registry.Monitoring;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Galaxy.Grains.Monitoring;

/// <summary>
/// The galaxy's monitor (<see cref="IMonitoringGrain"/>). A grain rather than a service per silo: Orleans keeps one
/// activation in the cluster, so one writer of the log and one judge of the alerts, with no lease of our own; the silos'
/// supervisors reactivate it after its silo is lost (an Orleans reminder could too, but ticks no oftener than a
/// minute). Nothing it keeps in memory needs to outlive it: the version monitors' figures are cumulative, so a new
/// activation's first tick takes a reading and evaluates from the second, and alerts live in their table.
/// </summary>
public sealed partial class MonitoringGrain(
    ServingIndex serving,
    PerformanceLog log,
    AlertEvaluator evaluator,
    AlertDeliveries deliveries,
    DeploymentStore deployments,
    MonitoringOptions options,
    TimeProvider clock,
    ILogger<MonitoringGrain> logger) : Grain, IMonitoringGrain
{
    private Dictionary<string, VersionFigures>? _readings;
    private DateTimeOffset _readAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Interval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Watch() => Task.CompletedTask;

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = clock.GetUtcNow();
            var served = await serving.ServedVersionsAsync(cancellationToken);
            var figures = await Task.WhenAll(served.Select(version => GrainFactory.GetGrain<IVersionMonitorGrain>(Key(version)).GetFigures()));
            var readings = served.Select((version, i) => (Key: Key(version), Figures: figures[i])).ToDictionary(reading => reading.Key, reading => reading.Figures);
            if (_readings is not { } previous)
            {
                (_readings, _readAt) = (readings, now);
                return;
            }

            var intervals = served.Select((version, i) => Interval(version, figures[i].Since(previous.GetValueOrDefault(Key(version), VersionFigures.Empty)), now)).ToList();
            var silos = await SilosAsync(now);
            await log.AppendAsync(intervals, silos, cancellationToken);
            (_readings, _readAt) = (readings, now);

            var changes = await evaluator.EvaluateAsync(intervals, silos, cancellationToken);
            await AlarmCanariesAsync(changes, cancellationToken);
            await log.PruneAsync(now - options.Retention, cancellationToken);
            await deliveries.PruneAsync(now - options.Retention, cancellationToken);
        }
        catch (Exception fault) when (fault is NpgsqlException or OrleansException or TimeoutException)
        {
            // The next tick measures from the last reading that was logged, so a failed one widens an interval, no more.
            LogTickFailed(logger, fault);
        }
    }

    private VersionInterval Interval(ServedVersionRow version, VersionFigures window, DateTimeOffset now) => new(
        version.ModelId, version.Model, version.Version, _readAt, now, window.Requests, window.Errors,
        Percentile(window, 0.50), Percentile(window, 0.95), Percentile(window, 0.99), window.LatencyBuckets, window.Feedback, window.Correct);

    private static double? Percentile(VersionFigures window, double fraction) =>
        window.Requests - window.Errors > 0 ? LatencyHistogram.PercentileOf(window.LatencyBuckets, fraction) : null;

    /// <summary>Each live silo's CPU and host memory use, as Orleans's runtime statistics report them; no GPU figure (see docs/monitoring.md).</summary>
    private async Task<List<SiloReading>> SilosAsync(DateTimeOffset now)
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var statistics = await management.GetRuntimeStatistics(hosts);
        return hosts.Select((silo, i) => statistics[i].EnvironmentStatistics)
            .Select((environment, i) => new SiloReading(
                hosts[i].ToString(), now, environment.FilteredCpuUsagePercentage,
                environment.MaximumAvailableMemoryBytes > 0
                    ? 100.0 * (environment.MaximumAvailableMemoryBytes - environment.FilteredAvailableMemoryBytes) / environment.MaximumAvailableMemoryBytes
                    : 0,
                null))
            .ToList();
    }

    /// <summary>A critical latency or accuracy alert that fired or rose on a version some deployment is rolling out feeds that deployment's analysis.</summary>
    private async Task AlarmCanariesAsync(IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            var alert = change.Alert;
            if (alert is { Severity: AlertSeverities.Critical, Kind: AlertKinds.LatencyP95 or AlertKinds.Accuracy, ModelId: { } model, Version: { } version }
                && (change.Events.Contains(AlertEvents.Fired) || change.Events.Contains(AlertEvents.Raised)))
            {
                foreach (var deployment in await deployments.RollingOutAsync(model, version, cancellationToken))
                {
                    await GrainFactory.GetGrain<ICanaryAlarmGrain>(deployment).Breached(alert.Id, alert.Summary);
                }
            }
        }
    }

    private static string Key(ServedVersionRow version) => $"{version.Model}:{version.Version}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The monitor's tick failed; the next one covers its interval.")]
    private static partial void LogTickFailed(ILogger logger, Exception fault);
}
