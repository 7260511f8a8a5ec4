namespace Galaxy.Grains;

/// <summary>
/// What one model version's inference has done, as the gateways that route inference by model report it (keyed by the
/// version, <c>digits:3</c>): requests, failures, latency, and the feedback on its answers. Cumulative since the
/// grain's activation: a canary analysis compares two readings. In memory only, so a reading smaller than the one before
/// it means the grain started over (its silo went away), and a window is then measured from zero.
/// </summary>
[Alias("galaxy.IVersionMonitorGrain")]
public interface IVersionMonitorGrain : IGrainWithStringKey
{
    [Alias("Report"), AlwaysInterleave]
    Task Report(VersionFigures figures);

    [Alias("GetFigures"), AlwaysInterleave]
    Task<VersionFigures> GetFigures();
}

/// <summary>A version's inference figures: requests, failed requests, latency buckets (<see cref="LatencyHistogram"/>), feedback.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.version-figures")]
public sealed record VersionFigures(
    [property: Id(0)] long Requests,
    [property: Id(1)] long Errors,
    [property: Id(2)] long[] LatencyBuckets,
    [property: Id(3)] long Feedback,
    [property: Id(4)] long Correct)
{
    public static VersionFigures Empty { get; } = new(0, 0, new long[LatencyHistogram.Buckets], 0, 0);

    public double LatencyP95Ms => LatencyHistogram.PercentileOf(LatencyBuckets, 0.95);

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Share of the feedback that found the answer right; null without feedback.</summary>
    public double? Accuracy => Feedback == 0 ? null : (double)Correct / Feedback;

    public VersionFigures Plus(VersionFigures other) => new(
        Requests + other.Requests, Errors + other.Errors, Add(LatencyBuckets, other.LatencyBuckets, 1), Feedback + other.Feedback, Correct + other.Correct);

    /// <summary>What happened since <paramref name="earlier"/>; when the figures started over since then, all of them.</summary>
    public VersionFigures Since(VersionFigures earlier) =>
        Requests < earlier.Requests || Feedback < earlier.Feedback
            ? this
            : new VersionFigures(
                Requests - earlier.Requests, Errors - earlier.Errors, Add(LatencyBuckets, earlier.LatencyBuckets, -1),
                Feedback - earlier.Feedback, Correct - earlier.Correct);

    private static long[] Add(long[] a, long[] b, int sign)
    {
        var sum = new long[LatencyHistogram.Buckets];
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = a[i] + sign * b[i];
        }

        return sum;
    }
}
