using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Galaxy.Telemetry;

/// <summary>
/// One OpenTelemetry meter provider per process, reading Galaxy's meters (<c>Galaxy.*</c>), Orleans's, ASP.NET Core's,
/// the .NET runtime's and Npgsql's; the caller adds how it is scraped (the gateway's <c>/metrics</c>, a silo's port).
/// </summary>
public static class GalaxyMetrics
{
    /// <summary>The meters read, by name: every instrument of theirs is exported unless <see cref="Dropped"/>.</summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        "Galaxy.*",
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "System.Runtime",
        "Npgsql",
    ];

    /// <summary>
    /// Orleans gauges that walk every activation on each read: a quarter of a core at 262 k activations when the
    /// dashboard read them every second (BENCHMARKS.md, "The full galaxy"). <c>orleans-catalog-activations</c> counts the
    /// same without the walk.
    /// </summary>
    public static readonly IReadOnlyList<string> Dropped = ["orleans-catalog-activation-working-set"];

    /// <summary>
    /// Bucket bounds, in seconds, for Galaxy's durations (its histograms in <c>s</c>): ASP.NET Core's for
    /// <c>http.server.request.duration</c>, with finer steps under 5 ms, where a batched predict's queue and kernel times lie.
    /// </summary>
    public static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>
    /// Registers the meter provider when <see cref="MetricsOptions.Enabled"/>, with <paramref name="exporter"/> and,
    /// when configured, OTLP. Answers the options, validated.
    /// </summary>
    public static MetricsOptions AddGalaxyMetrics(
        this IServiceCollection services, IConfiguration configuration, string serviceName, Action<MeterProviderBuilder, MetricsOptions> exporter)
    {
        var options = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (!options.Enabled)
        {
            return options;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. Meters]);

                // A sampled request's trace id rides on the measurement it made (an exemplar, in OpenMetrics scrapes), so a
                // slow bucket leads to the request's log lines and audit row.
                metrics.SetExemplarFilter(ExemplarFilterType.TraceBased);
                foreach (var instrument in Dropped)
                {
                    metrics.AddView(instrument, MetricStreamConfiguration.Drop);
                }

                metrics.AddView(instrument => instrument.Meter.Name.StartsWith("Galaxy.", StringComparison.Ordinal) && instrument.Unit == "s"
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets }
                    : null);
                exporter(metrics, options);
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp =>
                    {
                        otlp.Endpoint = endpoint;
                        otlp.Protocol = options.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    });
                }
            });
        return options;
    }
}
