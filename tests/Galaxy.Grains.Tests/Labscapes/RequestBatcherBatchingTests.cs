using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>
/// How the batcher cuts its queue into launches: who batches with whom, in what order, how many at once. Each test
/// holds a first batch in flight, queues the requests behind it, then lets it go, so the cut is exact.
/// </summary>
public sealed class RequestBatcherBatchingTests
{
    private static readonly LearnSpec Sgd = new(LossFunction.MeanSquaredError, 0.05f, 5);

    [Fact]
    public async Task Requests_arriving_while_a_batch_runs_launch_together_each_answered_by_its_own_row()
    {
        using var table = await Tables.SeededAsync(8);
        var metrics = new BatchMetrics(0);
        var batcher = BatcherFor.Table(table, metrics);
        var first = await HoldFirstBatchAsync(table, batcher);

        var inputs = new[] { Tables.Input(1), Tables.Input(2), Tables.Input(3) };
        var answers = Enumerable.Range(0, 3).Select(i => batcher.PredictAsync(row: i + 1, inputs[i], timeout: null)).ToArray();
        table.Release();
        await Task.WhenAll([first, .. answers]).Within();

        AssertRows(table, [0], [1, 2, 3]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, i + 1, inputs[i]), await answers[i].Within());
        }

        var figures = metrics.Snapshot(batcher.QueueLength, "simd");
        Assert.Equal(2, figures.Batches);
        Assert.Equal(4, figures.Rows);
    }

    [Fact]
    public async Task A_batch_holds_at_most_the_maximum_batch_size_taken_in_arrival_order()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table, maxBatchSize: 2);
        var first = await HoldFirstBatchAsync(table, batcher);

        var answers = Enumerable.Range(1, 5).Select(row => batcher.PredictAsync(row, Tables.Input(row), null)).ToArray();
        table.Release();
        await Task.WhenAll([first, .. answers]).Within();

        AssertRows(table, [0], [1, 2], [3, 4], [5]);
    }

    [Fact]
    public async Task The_backends_row_limit_caps_a_larger_batch_size()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table, maxBatchSize: 100, backendMaxRows: 3);
        var first = await HoldFirstBatchAsync(table, batcher);

        var answers = Enumerable.Range(1, 4).Select(row => batcher.PredictAsync(row, Tables.Input(row), null)).ToArray();
        table.Release();
        await Task.WhenAll([first, .. answers]).Within();

        AssertRows(table, [0], [1, 2, 3], [4]);
    }

    [Fact]
    public async Task Predicts_and_learns_never_share_a_batch()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);
        var first = await HoldFirstBatchAsync(table, batcher);

        Task[] requests =
        [
            batcher.LearnAsync(1, Tables.Input(1), [0, 1], Sgd, null),
            batcher.PredictAsync(2, Tables.Input(2), null),
            batcher.LearnAsync(3, Tables.Input(3), [1, 0], Sgd, null),
            batcher.PredictAsync(4, Tables.Input(4), null),
        ];
        table.Release();
        await Task.WhenAll([first, .. requests]).Within();

        AssertLaunches(
            table, new Launch(GatedTable.Predict, [0]), new Launch(GatedTable.Learn, [1, 3]), new Launch(GatedTable.Predict, [2, 4]));
    }

    [Fact]
    public async Task Learns_batch_together_only_when_their_settings_are_equal()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);
        var first = await HoldFirstBatchAsync(table, batcher);
        var faster = Sgd with { LearningRate = 0.1f };

        Task[] learns =
        [
            batcher.LearnAsync(1, Tables.Input(1), [0, 1], Sgd, null),
            batcher.LearnAsync(2, Tables.Input(2), [0, 1], faster, null),
            // Equal settings in another instance: the key is the settings' value, not the object.
            batcher.LearnAsync(3, Tables.Input(3), [0, 1], new LearnSpec(LossFunction.MeanSquaredError, 0.05f, 5), null),
        ];
        table.Release();
        await Task.WhenAll([first, .. learns]).Within();

        AssertRows(table, [0], [1, 3], [2]);
    }

    [Fact]
    public async Task A_units_requests_keep_their_order_and_a_predict_after_a_learn_sees_the_learned_weights()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);
        var first = await HoldFirstBatchAsync(table, batcher);
        var input = Tables.Input(1);
        var before = await Tables.ForwardAloneAsync(table.Inner, 1, input);

        var predictBefore = batcher.PredictAsync(1, input, null);
        var learn = batcher.LearnAsync(1, input, [5, -5], Sgd, null);
        // Could join the first predict's batch, but would overtake the learn of its own unit (row): it waits.
        var predictAfter = batcher.PredictAsync(1, input, null);
        var otherUnit = batcher.PredictAsync(2, Tables.Input(2), null);
        table.Release();
        await Task.WhenAll(first, predictBefore, learn, predictAfter, otherUnit).Within();

        AssertLaunches(
            table,
            new Launch(GatedTable.Predict, [0]),
            new Launch(GatedTable.Predict, [1, 2]),
            new Launch(GatedTable.Learn, [1]),
            new Launch(GatedTable.Predict, [1]));
        Assert.Equal(before, await predictBefore);
        Assert.True((await learn).Applied);
        Assert.NotEqual(before, await predictAfter);
        Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, 1, input), await predictAfter);
    }

    [Fact]
    public async Task A_batch_that_fills_launches_without_waiting_out_the_queue_delay()
    {
        using var table = await Tables.SeededAsync(8);
        // A minute's delay: only a full batch can launch before the test's bound.
        var batcher = BatcherFor.Table(table, maxBatchSize: 3, maxQueueDelayMicroseconds: 60_000_000);

        var answers = Enumerable.Range(0, 3).Select(row => batcher.PredictAsync(row, Tables.Input(row), null)).ToArray();
        await Task.WhenAll(answers).Within();

        AssertRows(table, [0, 1, 2]);
    }

    [Fact]
    public async Task A_lone_request_launches_once_its_queue_delay_is_over()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table, maxBatchSize: 3, maxQueueDelayMicroseconds: 2_000);

        var answer = await batcher.PredictAsync(4, Tables.Input(4), null).Within();

        AssertRows(table, [4]);
        Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, 4, Tables.Input(4)), answer);
    }

    [Fact]
    public async Task Several_predicts_sent_together_are_answered_in_their_order()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);
        int[] rows = [5, 2, 7];
        var inputs = rows.Select(row => Tables.Input(row)).ToArray();

        var answers = await batcher.PredictManyAsync(rows, inputs, null).Within();

        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(await Tables.ForwardAloneAsync(table.Inner, rows[i], inputs[i]), answers[i]);
        }
    }

    /// <summary>Sends a predict for row 0 and returns once its batch is launched and held.</summary>
    internal static async Task<Task<float[]>> HoldFirstBatchAsync(GatedTable table, RequestBatcher batcher)
    {
        table.Hold();
        var first = batcher.PredictAsync(0, Tables.Input(0), null);
        await table.LaunchWaiting.Within();
        return first;
    }

    /// <summary>The launches' rows, batch by batch, whatever their kind.</summary>
    internal static void AssertRows(GatedTable table, params int[][] expected) =>
        Assert.Equal(expected, table.Launches.Select(launch => launch.Rows));

    private static void AssertLaunches(GatedTable table, params Launch[] expected) =>
        Assert.Equal(
            expected.Select(launch => $"{launch.Kind} [{string.Join(", ", launch.Rows)}]"),
            table.Launches.Select(launch => $"{launch.Kind} [{string.Join(", ", launch.Rows)}]"));
}
