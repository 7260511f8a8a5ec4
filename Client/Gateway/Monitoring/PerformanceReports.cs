using Galaxy.Contracts;
using Galaxy.Grains;
using Galaxy.Registry.Monitoring;

namespace Galaxy.Gateway.Monitoring;

/// <summary>
/// Builds <see cref="PerformanceReport"/> from the performance log: each version's intervals merged into steps (their
/// latency histograms added, so a step's percentiles are those of every request in it) and into one total; each silo's
/// readings reduced to the highest per step.
/// </summary>
internal static class PerformanceReports
{
    /// <summary>Most points per series when the caller names no step.</summary>
    public const int MaxPoints = 360;

    public static int DefaultStep(DateTimeOffset from, DateTimeOffset to, int intervalSeconds)
    {
        var perPoint = Math.Ceiling((to - from).TotalSeconds / MaxPoints);
        return (int)(Math.Max(1, Math.Ceiling(perPoint / intervalSeconds)) * intervalSeconds);
    }

    public static PerformanceReport Build(
        DateTimeOffset from, DateTimeOffset to, int step, MonitoringOptions options, IReadOnlyList<VersionInterval> intervals,
        IReadOnlyList<SiloReading> silos, Func<Guid, string, ThresholdsResponse> thresholdsOf)
    {
        var versions = intervals
            .GroupBy(interval => (interval.ModelId, interval.ModelName, interval.Version))
            .Select(version => new VersionPerformance(
                new NamedReference(version.Key.ModelId, version.Key.ModelName), version.Key.Version, $"{version.Key.ModelName}:{version.Key.Version}",
                thresholdsOf(version.Key.ModelId, version.Key.ModelName),
                Merge(from, to, version.ToList()),
                version.GroupBy(interval => StepOf(interval.Start, from, step))
                    .Select(points => Merge(from.AddSeconds(points.Key * step), Min(from.AddSeconds((points.Key + 1) * step), to), points.ToList()))
                    .ToArray()))
            .ToArray();
        var resources = silos
            .GroupBy(reading => reading.Silo)
            .Select(silo => new SiloResources(
                silo.Key,
                silo.GroupBy(reading => StepOf(reading.At, from, step))
                    .Select(points => new ResourcePoint(
                        points.Max(reading => reading.At), points.Max(reading => reading.CpuPercent), points.Max(reading => reading.MemoryPercent),
                        points.Max(reading => reading.GpuPercent)))
                    .ToArray()))
            .ToArray();
        return new PerformanceReport(
            from, to, step, options.IntervalSeconds, versions, resources,
            new ResourceThresholdsResponse(options.CpuPercent, options.GpuPercent, options.MemoryPercent));
    }

    /// <summary>Each version's window over the whole range (GraphQL's report), keyed <c>name:version</c>, in the log's order.</summary>
    public static IEnumerable<(string Key, PerformanceWindow Total)> Totals(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<VersionInterval> intervals) =>
        intervals.GroupBy(interval => (interval.ModelName, interval.Version))
            .Select(version => ($"{version.Key.ModelName}:{version.Key.Version}", Merge(from, to, version.ToList())));

    private static long StepOf(DateTimeOffset at, DateTimeOffset from, int step) => (long)Math.Floor((at - from).TotalSeconds / step);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>One window over <paramref name="intervals"/>: sums, and throughput over the seconds the log covers.</summary>
    private static PerformanceWindow Merge(DateTimeOffset start, DateTimeOffset end, List<VersionInterval> intervals)
    {
        var latency = new LatencyHistogram();
        foreach (var interval in intervals)
        {
            latency.Add(interval.LatencyBuckets);
        }

        var requests = intervals.Sum(interval => interval.Requests);
        var errors = intervals.Sum(interval => interval.Errors);
        var feedback = intervals.Sum(interval => interval.Feedback);
        var correct = intervals.Sum(interval => interval.Correct);
        var seconds = intervals.Sum(interval => (interval.End - interval.Start).TotalSeconds);
        double? Percentile(double fraction) => latency.Count == 0 ? null : latency.Percentile(fraction);
        return new PerformanceWindow(
            start, end, requests, errors, seconds > 0 ? requests / seconds : 0, requests == 0 ? 0 : (double)errors / requests,
            Percentile(0.50), Percentile(0.95), Percentile(0.99), feedback, feedback == 0 ? null : (double)correct / feedback);
    }
}
