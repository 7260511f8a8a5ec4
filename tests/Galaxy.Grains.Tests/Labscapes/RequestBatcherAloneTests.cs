using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>
/// A predict that finds its batcher idle is a batch of one, answered before the call returns; a queue delay keeps
/// predicts waiting for company instead, and a retired batcher takes none.
/// </summary>
public sealed class RequestBatcherAloneTests
{
    [Fact]
    public async Task An_idle_batchers_predict_is_answered_before_the_call_returns_as_a_batch_of_one()
    {
        using var table = await Tables.SeededAsync(8);
        var metrics = new BatchMetrics(0);
        var batcher = BatcherFor.Table(table, metrics);

        var predict = batcher.PredictAsync(3, Tables.Input(3), null);

        Assert.True(predict.IsCompletedSuccessfully, "an idle batcher's predict waited for the pump");
        Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, 3, Tables.Input(3)), await predict);
        RequestBatcherBatchingTests.AssertRows(table, [3]);
        var figures = metrics.Snapshot(batcher.QueueLength, "simd");
        Assert.Equal((1, 1), (figures.Batches, figures.Rows));
    }

    [Fact]
    public async Task With_a_queue_delay_an_idle_batchers_predicts_wait_for_company_and_share_a_launch()
    {
        using var table = await Tables.SeededAsync(8);
        // A delay no test waits out: only the full batch launches.
        var batcher = BatcherFor.Table(table, maxBatchSize: 2, maxQueueDelayMicroseconds: 60_000_000);

        var first = batcher.PredictAsync(1, Tables.Input(1), null);
        Assert.False(first.IsCompleted, "a predict ran alone although the batcher waits for company");
        var second = batcher.PredictAsync(2, Tables.Input(2), null);
        await Task.WhenAll(first, second).Within();

        RequestBatcherBatchingTests.AssertRows(table, [1, 2]);
        Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, 2, Tables.Input(2)), await second);
    }

    [Fact]
    public async Task A_retired_batcher_refuses_a_predict_even_when_idle()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);
        await batcher.RetireAsync();

        BatcherFor.RefusedAtOnce<BatcherRetiredException>(() => batcher.PredictAsync(0, Tables.Input(0), null));
        Assert.Empty(table.Launches);
    }
}
