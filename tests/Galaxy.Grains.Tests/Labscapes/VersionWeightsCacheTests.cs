using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>A silo reads each version's weights once, however many labscapes serve it, and retries a failed read.</summary>
public sealed class VersionWeightsCacheTests
{
    [Fact]
    public async Task A_version_is_read_once_however_many_ask_for_it()
    {
        var reads = 0;
        var read = new TaskCompletionSource<VersionWeights>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new VersionWeightsCache(_ =>
        {
            Interlocked.Increment(ref reads);
            return read.Task;
        });

        var asks = Enumerable.Range(0, 8).Select(_ => cache.GetAsync(Served.Version(3))).ToArray();
        read.SetResult(Served.WeightsOf(Served.Version(3)));
        var answers = await Task.WhenAll(asks).Within();

        Assert.Equal(1, reads);
        Assert.All(answers, answer => Assert.Same(answers[0], answer));
        Assert.Same(answers[0], await cache.GetAsync(Served.Version(3)));
    }

    [Fact]
    public async Task Each_version_is_read_for_itself()
    {
        var read = new List<string>();
        var cache = new VersionWeightsCache(version =>
        {
            read.Add(version.Key);
            return Task.FromResult(Served.WeightsOf(version));
        });

        var three = await cache.GetAsync(Served.Version(3));
        var four = await cache.GetAsync(Served.Version(4));

        Assert.Equal(new[] { "digits:3", "digits:4" }, read);
        Assert.Equal(Served.WeightsOf(Served.Version(4)).Parameters, four.Parameters);
        Assert.NotEqual(three.Parameters, four.Parameters);
    }

    [Fact]
    public async Task A_failed_read_is_not_remembered_and_the_next_ask_reads_again()
    {
        var reads = 0;
        var cache = new VersionWeightsCache(version => ++reads == 1
            ? Task.FromException<VersionWeights>(new InvalidOperationException("PostgreSQL is away."))
            : Task.FromResult(Served.WeightsOf(version)));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Served.Version(3)));
        var weights = await cache.GetAsync(Served.Version(3));

        Assert.Equal("PostgreSQL is away.", failure.Message);
        Assert.Equal(Served.WeightsOf(Served.Version(3)).Parameters, weights.Parameters);
        Assert.Equal(2, reads);
    }
}
