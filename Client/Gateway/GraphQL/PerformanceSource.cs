using Galaxy.Gateway.Monitoring;
using Galaxy.Registry.Monitoring;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// A version's performance as GraphQL's <c>PerformanceMetrics</c> shows it. <c>Throughput</c> (requests per second) and
/// resource use need figures over time: a report from the performance log has them, a model's live figures do not.
/// </summary>
internal sealed record VersionPerformanceFigures(
    string Version, long Requests, double ErrorRate, double? LatencyP95Ms, double? Accuracy, long Feedback, double? ThroughputPerSecond,
    ResourceFigures? Resources);

/// <summary>CPU, GPU and memory use in percent; GPU null where no GPU reports; storage null where nothing measures it.</summary>
internal sealed record ResourceFigures(double Cpu, double? Gpu, double Memory, double? Storage);

/// <summary>A performance report: the window it covers, what its figures are, and each version's.</summary>
internal sealed record PerformanceReportFigures(DateTimeOffset From, DateTimeOffset To, string Coverage, IReadOnlyList<VersionPerformanceFigures> Versions);

/// <summary>Where a model's live figures (<c>GalaxyModel.performance</c>) come from.</summary>
internal interface IPerformanceSource
{
    Task<IReadOnlyDictionary<string, VersionPerformanceFigures>> ForVersionsAsync(IReadOnlyList<string> versions, CancellationToken cancellationToken);
}

/// <summary>
/// The live figures: each version's <see cref="IVersionMonitorGrain"/>, which counts every gateway's inference by model
/// since it started (in memory; a silo's loss starts it over).
/// </summary>
internal sealed class VersionMonitorPerformance(IClusterClient cluster) : IPerformanceSource
{
    public async Task<IReadOnlyDictionary<string, VersionPerformanceFigures>> ForVersionsAsync(
        IReadOnlyList<string> versions, CancellationToken cancellationToken)
    {
        var figures = await Task.WhenAll(versions.Select(async version => Figures(version, await cluster.GetGrain<IVersionMonitorGrain>(version).GetFigures())));
        return figures.ToDictionary(figure => figure.Version);
    }

    private static VersionPerformanceFigures Figures(string version, VersionFigures figures) => new(
        version, figures.Requests, figures.ErrorRate, figures.Requests == 0 ? null : figures.LatencyP95Ms, figures.Accuracy, figures.Feedback,
        ThroughputPerSecond: null, Resources: null);
}

/// <summary>
/// The seed's <c>performanceReport(timeRange)</c> from the performance log, the source of <c>GET /v1/monitoring/report</c>:
/// each version that served in the range with its figures over the whole range (the report's total), and the silos'
/// peak resource use over the range, which every version shares (every silo serves every version).
/// </summary>
internal sealed class PerformanceLogReports(PerformanceLog log)
{
    public const string Coverage = "the performance log: every interval that started in the range";

    public async Task<PerformanceReportFigures> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var intervals = await log.VersionsAsync(from, to, null, cancellationToken);
        var silos = await log.SilosAsync(from, to, cancellationToken);
        var resources = silos.Count == 0
            ? null
            : new ResourceFigures(silos.Max(silo => silo.CpuPercent), silos.Max(silo => silo.GpuPercent), silos.Max(silo => silo.MemoryPercent), null);
        return new PerformanceReportFigures(from, to, Coverage, [.. PerformanceReports.Totals(from, to, intervals).Select(version => new VersionPerformanceFigures(
            version.Key, version.Total.Requests, version.Total.ErrorRate, version.Total.LatencyP95Ms, version.Total.Accuracy, version.Total.Feedback,
            version.Total.ThroughputPerSecond, resources))]);
    }
}
