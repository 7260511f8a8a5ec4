using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>What the batcher refuses or drops, and what reaches a batch's waiters when its launch fails.</summary>
public sealed class RequestBatcherLimitsTests
{
    [Fact]
    public async Task A_full_queue_refuses_a_request_at_once_and_counts_the_overload()
    {
        using var table = await Tables.SeededAsync(8);
        var metrics = new BatchMetrics(0);
        var batcher = BatcherFor.Table(table, metrics, maxQueueLength: 2);
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);
        var queued = new[] { batcher.PredictAsync(1, Tables.Input(1), null), batcher.PredictAsync(2, Tables.Input(2), null) };

        var refused = BatcherFor.RefusedAtOnce<LabscapeOverloadedException>(() => batcher.PredictAsync(3, Tables.Input(3), null));

        Assert.Contains("2 of 2 requests waiting", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, metrics.Snapshot(batcher.QueueLength, "simd").Overloads);
        table.Release();
        await Task.WhenAll([first, .. queued]).Within();
        RequestBatcherBatchingTests.AssertRows(table, [0], [1, 2]);
    }

    [Fact]
    public async Task Predicts_sent_together_enter_the_queue_all_or_none()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table, maxQueueLength: 3);
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);
        var queued = batcher.PredictAsync(1, Tables.Input(1), null);

        BatcherFor.RefusedAtOnce<LabscapeOverloadedException>(
            () => batcher.PredictManyAsync([2, 3, 4], [Tables.Input(2), Tables.Input(3), Tables.Input(4)], null));
        Assert.Equal(1, batcher.QueueLength);

        var fits = batcher.PredictManyAsync([2, 3], [Tables.Input(2), Tables.Input(3)], null);
        table.Release();
        await Task.WhenAll(first, queued, fits).Within();
        RequestBatcherBatchingTests.AssertRows(table, [0], [1, 2, 3]);
    }

    [Fact]
    public async Task A_request_past_its_deadline_is_dropped_before_launch_and_counted()
    {
        using var table = await Tables.SeededAsync(8);
        var metrics = new BatchMetrics(0);
        var batcher = BatcherFor.Table(table, metrics);
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);

        var late = batcher.PredictAsync(1, Tables.Input(1), TimeSpan.FromTicks(1));
        var inTime = batcher.PredictAsync(2, Tables.Input(2), TimeSpan.FromMinutes(1));
        // Longer than the late request's 100 ns: its deadline has passed when the next batch is cut.
        await Task.Delay(TimeSpan.FromMilliseconds(1));
        table.Release();

        await Assert.ThrowsAsync<RequestTimedOutException>(() => late.Within());
        await Task.WhenAll(first, inTime).Within();
        RequestBatcherBatchingTests.AssertRows(table, [0], [2]);
        var figures = metrics.Snapshot(batcher.QueueLength, "simd");
        Assert.Equal(1, figures.Timeouts);
        Assert.Equal(2, figures.Rows);
    }

    [Fact]
    public async Task A_failed_launch_fails_every_request_of_its_batch_with_the_engines_error_and_the_next_batch_runs()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table, maxBatchSize: 2);
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);

        // The kernel refuses a batch with a non-finite input, the neighbour's row included (why units validate first).
        var poisoned = batcher.PredictAsync(1, [float.NaN, 0, 0, 0], null);
        var neighbour = batcher.PredictAsync(2, Tables.Input(2), null);
        var nextBatch = batcher.PredictAsync(3, Tables.Input(3), null);
        table.Release();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => poisoned.Within());
        Assert.Same(error, await Assert.ThrowsAnyAsync<ArgumentException>(() => neighbour.Within()));
        Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, 3, Tables.Input(3)), await nextBatch.Within());
        await first.Within();
        RequestBatcherBatchingTests.AssertRows(table, [0], [1, 2], [3]);
    }

    [Fact]
    public async Task A_failed_learn_step_fails_every_learn_of_its_batch_with_the_engines_error()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);
        var spec = new LearnSpec(LossFunction.MeanSquaredError, 0.05f, 5);
        var before = await Tables.RowAsync(table.Inner, 2);

        var poisoned = batcher.LearnAsync(1, Tables.Input(1), [float.PositiveInfinity, 0], spec, null);
        var neighbour = batcher.LearnAsync(2, Tables.Input(2), [0, 1], spec, null);
        table.Release();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => poisoned.Within());
        Assert.Same(error, await Assert.ThrowsAnyAsync<ArgumentException>(() => neighbour.Within()));
        Assert.Equal(before, await Tables.RowAsync(table.Inner, 2));
        await first.Within();
    }

    [Fact]
    public async Task An_idle_batcher_retires_at_once_and_then_refuses_every_request()
    {
        using var table = await Tables.SeededAsync(2);
        var batcher = BatcherFor.Table(table);

        var retired = batcher.RetireAsync();

        Assert.True(retired.IsCompletedSuccessfully);
        BatcherFor.RefusedAtOnce<BatcherRetiredException>(() => batcher.PredictAsync(0, Tables.Input(0), null));
        BatcherFor.RefusedAtOnce<BatcherRetiredException>(
            () => batcher.LearnAsync(0, Tables.Input(0), [0, 1], new LearnSpec(LossFunction.MeanSquaredError, 0.1f, 1), null));
        Assert.Empty(table.Launches);
    }

    [Fact]
    public async Task Retiring_answers_the_requests_already_queued_before_it_completes()
    {
        using var table = await Tables.SeededAsync(4);
        var batcher = BatcherFor.Table(table);
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);
        var queued = batcher.PredictAsync(1, Tables.Input(1), null);

        var retired = batcher.RetireAsync();

        Assert.False(retired.IsCompleted);
        BatcherFor.RefusedAtOnce<BatcherRetiredException>(() => batcher.PredictAsync(2, Tables.Input(2), null));
        table.Release();
        await retired.Within();
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(queued.IsCompletedSuccessfully);
        RequestBatcherBatchingTests.AssertRows(table, [0], [1]);
    }

    [Fact]
    public async Task Disposing_the_table_frees_it_once_and_refuses_later_table_work()
    {
        using var table = await Tables.SeededAsync(2);
        var batcher = BatcherFor.Table(table);

        await batcher.DisposeTableAsync();
        await batcher.DisposeTableAsync();

        Assert.Equal(1, table.Disposals);
        await Assert.ThrowsAsync<BatcherRetiredException>(() => batcher.WithTableAsync(t => Task.FromResult(t.Units)));
    }

    [Fact]
    public async Task A_replaced_table_answers_the_batches_after_it()
    {
        using var table = await Tables.SeededAsync(2);
        using var replacement = await Tables.SeededAsync(4);
        await replacement.Inner.LoadUnitAsync(0, await Tables.RowAsync(replacement.Inner, 3));
        var batcher = BatcherFor.Table(table);
        IParameterTable? handedOver = null;

        await batcher.ReplaceTableAsync(old =>
        {
            handedOver = old;
            return Task.FromResult<IParameterTable>(replacement);
        });
        var answer = await batcher.PredictAsync(0, Tables.Input(1), null).Within();

        Assert.Same(table, handedOver);
        Assert.Equal(await Tables.ForwardAloneAsync(replacement.Inner, 3, Tables.Input(1)), answer);
        Assert.NotEqual(await Tables.ForwardAloneAsync(table.Inner, 0, Tables.Input(1)), answer);
        Assert.Single(replacement.Launches);
        Assert.Empty(table.Launches);
    }
}
