namespace Galaxy.Grains.Labscapes;

/// <summary>
/// Latencies in log-spaced buckets (eight per doubling, from 1 µs to about 70 s), so percentiles cost a fixed
/// few hundred counters however many requests pass; a percentile is reported as its bucket's upper edge (≤ 9 % high).
/// </summary>
internal sealed class LatencyHistogram
{
    private const double SmallestMs = 0.001;
    private const int BucketsPerDoubling = 8;
    private const int Buckets = 26 * BucketsPerDoubling;

    private readonly long[] _counts = new long[Buckets];
    private long _total;

    public void Record(double milliseconds)
    {
        var index = milliseconds <= SmallestMs
            ? 0
            : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log2(milliseconds / SmallestMs) * BucketsPerDoubling));
        _counts[index]++;
        _total++;
    }

    public double Percentile(double fraction)
    {
        if (_total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(fraction * _total);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return SmallestMs * Math.Pow(2, (double)i / BucketsPerDoubling);
            }
        }

        return SmallestMs * Math.Pow(2, (double)(Buckets - 1) / BucketsPerDoubling);
    }
}
