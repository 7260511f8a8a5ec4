using Galaxy.Gateway.Guardian;
using Galaxy.Telemetry;
using OpenTelemetry.Metrics;

namespace Galaxy.Gateway.Metrics;

/// <summary>
/// The gateway's metrics (<see cref="GalaxyMetrics"/>) served to Prometheus at <c>GET /metrics</c>, to operators
/// only (<see cref="Permissions.ReadMetrics"/>): the figures name models, versions and routes.
/// </summary>
internal static class GatewayMetrics
{
    public const string Path = "/metrics";

    public static MetricsOptions AddGatewayMetrics(this WebApplicationBuilder builder) =>
        builder.Services.AddGalaxyMetrics(builder.Configuration, "galaxy-gateway", (metrics, _) => metrics.AddPrometheusExporter());

    public static void MapMetricsEndpoint(this WebApplication app, MetricsOptions options)
    {
        if (options.Enabled)
        {
            // Prometheus's text format for scrapers (docs/observability.md), not a route of the JSON API: the OpenAPI
            // document leaves it out.
            app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Permissions.ReadMetrics).ExcludeFromDescription();
        }
    }
}
