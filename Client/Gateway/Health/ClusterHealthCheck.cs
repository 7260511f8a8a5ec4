using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Galaxy.Gateway.Health;

/// <summary>Ready only while a silo answers a grain call.</summary>
internal sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var topology = await cluster.GetGrain<IGalaxyGrain>(0).GetTopology().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"{topology.Labscapes} labscapes × {topology.UnitsPerLabscape} units.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("No silo answered.", exception);
        }
    }
}
