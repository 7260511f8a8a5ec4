using System.Diagnostics;
using Galaxy.Gateway.Deployments;
using Galaxy.Grains.Labscapes;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// Kills the silo a deployment runs on, mid-rollout, and holds it to its promise: it resumes on the surviving silo at its
/// step and finishes, every target serving the version.
/// </summary>
public sealed class DeploymentFailoverTests : IAsyncLifetime
{
    private static readonly int[] Targets = [0, 1, 2, 3];
    private readonly TrainingCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_deployment_whose_silo_is_killed_resumes_elsewhere_and_finishes()
    {
        var model = await _cluster.Data.CreateModelAsync("failover");
        var version = await _cluster.Data.RegisterVersionAsync(model, 16, 8, 4, seed: 31, validationAccuracy: 0.99);
        var plan = new CanaryPlan([25, 50, 100], IntervalSeconds: 1, MinSamples: 5, FailureLimit: 1, MaxLatencyP95Ms: 1_000, MaxErrorRate: 0.5, MinAccuracy: 0.5, MinFeedback: 1_000);
        var deploymentId = Guid.NewGuid();
        using var traffic = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var reporter = ReportTrafficAsync(version.ToServed().Key, traffic.Token);

        await _cluster.Client.GetGrain<IDeploymentGrain>(deploymentId).Start(
            new DeploymentRequest(version.ToServed(), Targets, plan, "tester", "failover drill", DateTimeOffset.UtcNow));
        var running = await WaitAsync(deploymentId, deployment => deployment.Step >= 1, "the second step");
        var host = _cluster.Galaxy.Cluster.GetActiveSilos().Single(silo => silo.SiloAddress.ToString() == running.Silo);
        await _cluster.Galaxy.Cluster.KillSiloAsync(host);
        var done = await WaitAsync(deploymentId, deployment => deployment.IsFinished, "the deployment to finish");
        await traffic.CancelAsync();
        await reporter;

        Assert.Equal(DeploymentStatus.Succeeded, done.Status);
        Assert.NotEqual(running.Silo, done.Silo);
        foreach (var labscape in Targets)
        {
            Assert.Equal(version.ToServed().Key, (await _cluster.Client.GetGrain<ILabscapeGrain>(labscape).GetState()).Serving.StableKey);
        }
    }

    /// <summary>What a gateway would report of the version's inference: ten quick answers every 100 ms.</summary>
    private async Task ReportTrafficAsync(string version, CancellationToken stop)
    {
        var latency = new LatencyHistogram();
        latency.Record(1);
        var figures = new VersionFigures(10, 0, latency.Counts().Select(count => count * 10).ToArray(), 0, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _cluster.Client.GetGrain<IVersionMonitorGrain>(version).Report(figures);
                await Task.Delay(100, stop);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The monitor's silo died: it starts over on the survivor.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<DeploymentState> WaitAsync(Guid deploymentId, Func<DeploymentState, bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), $"gave up waiting for {what}");
            try
            {
                var deployment = await _cluster.Client.GetGrain<IDeploymentGrain>(deploymentId).GetState();
                if (condition(deployment))
                {
                    return deployment;
                }
            }
            catch (Exception) when (waited.Elapsed < TimeSpan.FromSeconds(90))
            {
                // Its silo is going away: ask again in a moment.
            }

            await Task.Delay(100);
        }
    }
}
