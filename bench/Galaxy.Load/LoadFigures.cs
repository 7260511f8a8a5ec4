namespace Galaxy.Load;

/// <summary>Throughput and latency percentiles of one load phase.</summary>
public sealed record LoadFigures(long Operations, long Failures, double Seconds, double P50Ms, double P95Ms, double P99Ms)
{
    public double PerSecond => Operations / Seconds;
}
