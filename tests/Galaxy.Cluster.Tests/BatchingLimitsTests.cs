namespace Galaxy.Cluster.Tests;

/// <summary>
/// A galaxy whose labscapes hold a batch for a second and queue at most four requests, so that overload and
/// missed deadlines happen on purpose.
/// </summary>
public sealed class BatchingLimitsTests : IAsyncLifetime
{
    private readonly GalaxyTestCluster _galaxy = new()
    {
        InitialSilos = 1,
        Settings = new Dictionary<string, string?>
        {
            ["Galaxy:Batching:MaxQueueLength"] = "4",
            ["Galaxy:Batching:MaxQueueDelayMicroseconds"] = "1000000",
        },
    };

    public Task InitializeAsync() => _galaxy.InitializeAsync();

    public Task DisposeAsync() => _galaxy.DisposeAsync();

    [Fact]
    public async Task A_full_queue_refuses_requests_at_once_with_the_overload_error()
    {
        var input = new float[16];
        await ActivateLabscapeAndUnitsAsync(labscape: 0);

        var attempts = Enumerable.Range(0, 24)
            .Select(i => _galaxy.Client.GetGrain<IAiUnitGrain>(i % GalaxyTestCluster.UnitsPerLabscape).Predict(input))
            .ToArray();

        await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        var failures = attempts.Where(a => a.IsFaulted).Select(a => a.Exception!.InnerException).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, failure => Assert.IsType<LabscapeOverloadedException>(failure));
        Assert.InRange(attempts.Count(a => a.IsCompletedSuccessfully), 1, 4);
        var metrics = await _galaxy.Client.GetGrain<ILabscapeGrain>(0).GetMetrics();
        Assert.Equal(failures.Count, metrics.Overloads);
    }

    [Fact]
    public async Task A_request_whose_deadline_passes_in_the_queue_is_dropped_with_the_timeout_error()
    {
        var unit = _galaxy.Client.GetGrain<IAiUnitGrain>(GalaxyTestCluster.UnitsPerLabscape + 1);

        await Assert.ThrowsAsync<RequestTimedOutException>(() => unit.Predict(new float[16], TimeSpan.FromMilliseconds(5)));

        var metrics = await _galaxy.Client.GetGrain<ILabscapeGrain>(1).GetMetrics();
        Assert.Equal(1, metrics.Timeouts);
        Assert.Equal(0, metrics.Rows);
    }

    // The burst must reach the queue within the hold: on a busy machine, activations (each a database round trip)
    // spread over longer than that would let the first batch launch and make room for later arrivals.
    private async Task ActivateLabscapeAndUnitsAsync(long labscape)
    {
        await Task.WhenAll(Enumerable.Range(0, GalaxyTestCluster.UnitsPerLabscape)
            .Select(slot => _galaxy.Client.GetGrain<IAiUnitGrain>(labscape * GalaxyTestCluster.UnitsPerLabscape + slot).GetState()));
        await _galaxy.Client.GetGrain<ILabscapeGrain>(labscape).GetMetrics();
    }
}
