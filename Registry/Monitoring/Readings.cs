namespace Galaxy.Registry.Monitoring;

/// <summary>
/// One served model version's inference in one interval, as the gateways measured it: a row of the performance log.
/// Latency percentiles are null without requests; <see cref="LatencyBuckets"/> are the interval's latency histogram
/// (<c>LatencyHistogram</c>'s buckets), so that longer windows' percentiles are exact sums rather than averages.
/// </summary>
public sealed record VersionInterval(
    Guid ModelId,
    string ModelName,
    int Version,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Requests,
    long Errors,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    long[] LatencyBuckets,
    long Feedback,
    long Correct)
{
    public string Key => $"{ModelName}:{Version}";

    public double ThroughputPerSecond => Requests / (End - Start).TotalSeconds;

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Share of the interval's feedback that found the answer right; null without feedback.</summary>
    public double? Accuracy => Feedback == 0 ? null : (double)Correct / Feedback;
}

/// <summary>One silo's resource use at the end of an interval, in percent; GPU null where no GPU reports it.</summary>
public sealed record SiloReading(string Silo, DateTimeOffset At, double CpuPercent, double MemoryPercent, double? GpuPercent);
