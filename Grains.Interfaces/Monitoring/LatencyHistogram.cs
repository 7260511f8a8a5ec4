namespace Galaxy.Grains;

/// <summary>
/// Latencies in log-spaced buckets (eight per doubling, from 1 µs to about 70 s), so percentiles cost a fixed few
/// hundred counters however many requests pass, and histograms from many places add and subtract bucket by bucket; a
/// percentile is reported as its bucket's upper edge (≤ 9 % high). Not thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    public const int Buckets = 26 * BucketsPerDoubling;

    private const double SmallestMs = 0.001;
    private const int BucketsPerDoubling = 8;

    private readonly long[] _counts = new long[Buckets];
    private long _total;

    public long Count => _total;

    public void Record(double milliseconds)
    {
        var index = milliseconds <= SmallestMs
            ? 0
            : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log2(milliseconds / SmallestMs) * BucketsPerDoubling));
        _counts[index]++;
        _total++;
    }

    public double Percentile(double fraction) => PercentileOf(_counts, fraction);

    /// <summary>A copy of the bucket counts.</summary>
    public long[] Counts() => (long[])_counts.Clone();

    /// <summary>Adds another histogram's bucket counts (as <see cref="Counts"/> gives them).</summary>
    public void Add(IReadOnlyList<long> counts)
    {
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += counts[i];
            _total += counts[i];
        }
    }

    /// <summary>The <paramref name="fraction"/> percentile of bucket counts (as <see cref="Counts"/> gives them); 0 when empty.</summary>
    public static double PercentileOf(IReadOnlyList<long> counts, double fraction)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return SmallestMs * Math.Pow(2, (double)i / BucketsPerDoubling);
            }
        }

        return SmallestMs * Math.Pow(2, (double)(Buckets - 1) / BucketsPerDoubling);
    }
}
