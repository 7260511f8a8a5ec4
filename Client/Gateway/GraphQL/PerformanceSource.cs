using Galaxy.Grains;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// A version's performance as GraphQL's <c>PerformanceMetrics</c> shows it. <c>Throughput</c> (requests per second) and
/// resource use need figures over time, which the version monitors do not keep: null until a source with a performance
/// log provides them.
/// </summary>
internal sealed record VersionPerformanceFigures(
    string Version, long Requests, double ErrorRate, double? LatencyP95Ms, double? Accuracy, long Feedback, double? ThroughputPerSecond,
    ResourceFigures? Resources);

/// <summary>CPU, GPU, memory and storage use in percent; GPU null where no GPU reports.</summary>
internal sealed record ResourceFigures(double Cpu, double? Gpu, double Memory, double Storage);

/// <summary>A performance report: the window it covers, what its figures are, and each version's.</summary>
internal sealed record PerformanceReportFigures(DateTimeOffset From, DateTimeOffset To, string Coverage, IReadOnlyList<VersionPerformanceFigures> Versions);

/// <summary>
/// Where GraphQL's performance figures come from: the one seam to switch when the performance log and
/// <c>GET /v1/monitoring/report</c> land.
/// </summary>
internal interface IPerformanceSource
{
    Task<IReadOnlyDictionary<string, VersionPerformanceFigures>> ForVersionsAsync(IReadOnlyList<string> versions, CancellationToken cancellationToken);

    Task<PerformanceReportFigures> ReportAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> versions, CancellationToken cancellationToken);
}

/// <summary>
/// The figures the cluster keeps today: each version's <see cref="IVersionMonitorGrain"/>, which counts every gateway's
/// inference by model since it started (in memory; a silo's loss starts it over). It has no history, so a report covers
/// that span whatever range is asked, and says so in its <c>coverage</c>.
/// </summary>
internal sealed class VersionMonitorPerformance(IClusterClient cluster) : IPerformanceSource
{
    public const string Coverage =
        "since each version's monitor started counting (the version monitors keep no history): the requested range is not applied";

    public async Task<IReadOnlyDictionary<string, VersionPerformanceFigures>> ForVersionsAsync(
        IReadOnlyList<string> versions, CancellationToken cancellationToken)
    {
        var figures = await Task.WhenAll(versions.Select(async version => Figures(version, await cluster.GetGrain<IVersionMonitorGrain>(version).GetFigures())));
        return figures.ToDictionary(figure => figure.Version);
    }

    public async Task<PerformanceReportFigures> ReportAsync(
        DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> versions, CancellationToken cancellationToken)
    {
        var figures = await ForVersionsAsync(versions, cancellationToken);
        return new PerformanceReportFigures(from, to, Coverage, [.. versions.Select(version => figures[version])]);
    }

    private static VersionPerformanceFigures Figures(string version, VersionFigures figures) => new(
        version, figures.Requests, figures.ErrorRate, figures.Requests == 0 ? null : figures.LatencyP95Ms, figures.Accuracy, figures.Feedback,
        ThroughputPerSecond: null, Resources: null);
}
