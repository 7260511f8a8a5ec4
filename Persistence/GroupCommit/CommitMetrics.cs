using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>The group commit's figures (meter <see cref="MeterName"/>): each batch's size, its commit's duration and outcome.</summary>
internal static class CommitMetrics
{
    public const string MeterName = "Galaxy.Storage";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "galaxy.storage.commit.batch.size", "{write}", "Grain-state writes committed in one transaction.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "galaxy.storage.commit.duration", "s", "One batch's transaction, from its first statement to its commit.");

    public static void Record(int writes, long startedAt, string outcome)
    {
        var tags = new TagList { { "outcome", outcome } };
        BatchSize.Record(writes, tags);
        CommitDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
    }
}
