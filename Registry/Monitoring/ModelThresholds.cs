using System.Globalization;

namespace Galaxy.Registry.Monitoring;

/// <summary>
/// A model's alert thresholds: latency p95 in ms (fires at or above), accuracy as a fraction and throughput in requests
/// per second (fire below), and the feedback an interval needs before its accuracy is judged. The defaults are the
/// seed's "Real-time Metrics Configuration".
/// </summary>
public sealed record ModelThresholds(
    double LatencyP95WarningMs,
    double LatencyP95CriticalMs,
    double AccuracyWarning,
    double AccuracyCritical,
    double ThroughputWarning,
    double ThroughputCritical,
    int MinFeedback)
{
    public static ModelThresholds Default { get; } = new(80, 100, 0.98, 0.975, 1_000, 500, 20);

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(LatencyP95WarningMs > 0 && LatencyP95WarningMs <= LatencyP95CriticalMs && LatencyP95CriticalMs <= 60_000))
        {
            problems.Add("latencyP95WarningMs and latencyP95CriticalMs must satisfy 0 < warning ≤ critical ≤ 60000.");
        }

        if (!(AccuracyCritical >= 0 && AccuracyCritical <= AccuracyWarning && AccuracyWarning <= 1))
        {
            problems.Add("accuracyWarning and accuracyCritical must satisfy 0 ≤ critical ≤ warning ≤ 1.");
        }

        if (!(ThroughputCritical >= 0 && ThroughputCritical <= ThroughputWarning && ThroughputWarning <= 10_000_000))
        {
            problems.Add("throughputWarning and throughputCritical must satisfy 0 ≤ critical ≤ warning ≤ 10000000.");
        }

        if (MinFeedback is < 1 or > 1_000_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"minFeedback must lie in 1…1000000."));
        }

        return problems;
    }
}
