namespace Galaxy.Grains.Tests.Contracts;

/// <summary>Percentiles from log-spaced buckets: reported as the bucket's upper edge, at most 9 % high.</summary>
public sealed class LatencyHistogramTests
{
    [Fact]
    public void An_empty_histogram_reports_zero()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Percentile(0.99));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3)]
    [InlineData(250)]
    [InlineData(40_000)]
    public void A_percentile_lies_at_most_nine_percent_above_the_latency(double milliseconds)
    {
        var histogram = new LatencyHistogram();
        histogram.Record(milliseconds);

        Assert.InRange(histogram.Percentile(0.5), milliseconds, milliseconds * 1.09);
    }

    [Fact]
    public void Percentiles_split_the_requests_by_rank()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 95; i++)
        {
            histogram.Record(1);
        }

        for (var i = 0; i < 5; i++)
        {
            histogram.Record(1_000);
        }

        Assert.Equal(100, histogram.Count);
        Assert.InRange(histogram.Percentile(0.95), 1, 1.09);
        Assert.InRange(histogram.Percentile(0.96), 1_000, 1_090);
    }

    [Fact]
    public void Latencies_below_a_microsecond_or_beyond_the_last_bucket_land_in_the_end_buckets()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(0);
        histogram.Record(1e9);

        var counts = histogram.Counts();

        Assert.Equal(1, counts[0]);
        Assert.Equal(1, counts[^1]);
        Assert.Equal(0.001, histogram.Percentile(0.5));
        Assert.True(histogram.Percentile(1) > 60_000);
    }

    [Fact]
    public void Histograms_add_bucket_by_bucket()
    {
        var here = new LatencyHistogram();
        here.Record(2);
        var there = new LatencyHistogram();
        there.Record(2);
        there.Record(500);

        here.Add(there.Counts());

        Assert.Equal(3, here.Count);
        Assert.InRange(here.Percentile(0.66), 2, 2.18);
        Assert.InRange(here.Percentile(1), 500, 545);
    }

    [Fact]
    public void A_fraction_beyond_every_request_reports_the_last_edge()
    {
        var counts = new long[LatencyHistogram.Buckets];
        counts[0] = 1;

        Assert.Equal(0.001 * Math.Pow(2, (LatencyHistogram.Buckets - 1) / 8.0), LatencyHistogram.PercentileOf(counts, 2));
    }
}
