using System.Diagnostics;
using Galaxy.Gateway.Deployments;
using Galaxy.Registry.Monitoring;
using Npgsql;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// Kills the silo the galaxy's monitor (<see cref="IMonitoringGrain"/>) runs on and holds alerting to its promise: the
/// survivor's supervisor starts the monitor again, and a threshold breach that begins after the kill fires an alert.
/// </summary>
public sealed class MonitorFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly TrainingCluster _cluster = new(silos: 2, new Dictionary<string, string?>
    {
        ["Galaxy:Monitoring:IntervalSeconds"] = "1",
        ["Galaxy:ControlPlane:ResumeCheckSeconds"] = "1",
    });

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_breach_that_begins_after_the_monitors_silo_is_killed_still_fires_an_alert()
    {
        var model = await _cluster.Data.CreateModelAsync("monitor-failover");
        var version = (await _cluster.Data.RegisterVersionAsync(model, 16, 8, 4, seed: 41, validationAccuracy: 0.99)).ToServed();
        var plan = new CanaryPlan([100], IntervalSeconds: 1, MinSamples: 5, FailureLimit: 1, MaxLatencyP95Ms: 1_000, MaxErrorRate: 0.5, MinAccuracy: 0.5, MinFeedback: 1_000);
        var deployment = _cluster.Client.GetGrain<IDeploymentGrain>(Guid.NewGuid());
        await deployment.Start(new DeploymentRequest(version, [0], plan, "tester", "monitor failover drill", DateTimeOffset.UtcNow));
        await UntilAsync(async () => (await deployment.GetState()).Status == DeploymentStatus.Succeeded, "the version to serve");

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var monitor = _cluster.Client.GetGrain<IMonitoringGrain>(0);
        SiloAddress? killed = null;
        await UntilAsync(async () => (killed = await management.GetActivationAddress(monitor)) is not null, "the monitor to be active");
        await _cluster.Galaxy.Cluster.KillSiloAsync(_cluster.Galaxy.Cluster.GetActiveSilos().Single(silo => silo.SiloAddress.Equals(killed)));
        var killedAt = DateTimeOffset.UtcNow;

        // Only now does the version break a threshold: latency far above a p95 limit of 1 µs.
        await using var database = NpgsqlDataSource.Create(_cluster.Galaxy.Database.ConnectionString);
        await new ThresholdStore(database, TimeProvider.System).SetAsync(
            model.Id, ModelThresholds.Default with { LatencyP95WarningMs = 0.0005, LatencyP95CriticalMs = 0.001, ThroughputWarning = 0, ThroughputCritical = 0 },
            "tester", CancellationToken.None);
        var alerts = new AlertStore(database, new MonitoringOptions(), TimeProvider.System);
        AlertRow? fired = null;
        await UntilAsync(async () =>
        {
            await ReportTrafficAsync(version.Key);
            fired = (await alerts.FiringAsync(CancellationToken.None)).FirstOrDefault(alert => alert.Kind == AlertKinds.LatencyP95 && alert.Subject == version.Key);
            return fired is not null;
        }, "an alert on the breach");

        Assert.Equal(AlertSeverities.Critical, fired!.Severity);
        Assert.True(fired.FiredAt > killedAt, $"the alert fired at {fired.FiredAt:O}, before the kill at {killedAt:O}");
        SiloAddress? survivor = null;
        await UntilAsync(async () => (survivor = await management.GetActivationAddress(monitor)) is not null, "the monitor's new silo");
        Assert.NotEqual(killed, survivor);
    }

    /// <summary>What a gateway would report of the version's inference: ten answers of about a millisecond.</summary>
    private async Task ReportTrafficAsync(string version)
    {
        var latency = new LatencyHistogram();
        latency.Record(1);
        await _cluster.Client.GetGrain<IVersionMonitorGrain>(version).Report(
            new VersionFigures(10, 0, latency.Counts().Select(count => count * 10).ToArray(), 0, 0));
    }

    /// <summary>Asks again every 200 ms until <paramref name="done"/>, within <see cref="Bound"/>; failures while a silo goes away are asked again.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (Exception) when (waited.Elapsed < Bound)
            {
                // The killed silo is not yet declared dead: ask again in a moment.
            }

            Assert.True(waited.Elapsed < Bound, $"gave up waiting for {what} after {Bound.TotalSeconds} s");
            await Task.Delay(200);
        }
    }
}
