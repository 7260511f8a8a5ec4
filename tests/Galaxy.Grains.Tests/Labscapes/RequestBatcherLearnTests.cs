using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>What a learn's waiter is told: whether the step applied, its loss, and its row's weights after it.</summary>
public sealed class RequestBatcherLearnTests
{
    private static readonly LearnSpec Sgd = new(LossFunction.MeanSquaredError, 0.05f, 5);

    [Fact]
    public async Task A_learn_answers_with_its_rows_weights_after_the_step()
    {
        using var table = await Tables.SeededAsync(4);
        var batcher = BatcherFor.Table(table);
        var before = await Tables.RowAsync(table.Inner, 2);
        var neighbour = await Tables.RowAsync(table.Inner, 1);

        var learned = await batcher.LearnAsync(2, Tables.Input(2), [1, -1], Sgd, null).Within();

        Assert.True(learned.Applied);
        Assert.True(learned.Loss > 0);
        Assert.Equal(await Tables.RowAsync(table.Inner, 2), learned.Parameters);
        Assert.NotEqual(before, learned.Parameters);
        Assert.Equal(neighbour, await Tables.RowAsync(table.Inner, 1));
    }

    [Fact]
    public async Task Learn_batches_of_growing_size_answer_each_row_with_its_own_weights()
    {
        using var table = await Tables.SeededAsync(8);
        var batcher = BatcherFor.Table(table);

        // One learn alone (a one-row read buffer), then three in one batch: the buffer grows for them.
        var alone = await batcher.LearnAsync(1, Tables.Input(1), [0, 1], Sgd, null).Within();
        var first = await RequestBatcherBatchingTests.HoldFirstBatchAsync(table, batcher);
        var learns = new[] { 5, 6, 7 }.Select(row => batcher.LearnAsync(row, Tables.Input(row), [1, 0], Sgd, null)).ToArray();
        table.Release();
        await first.Within();
        var together = await Task.WhenAll(learns).Within();

        RequestBatcherBatchingTests.AssertRows(table, [1], [0], [5, 6, 7]);
        Assert.Equal(await Tables.RowAsync(table.Inner, 1), alone.Parameters);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(await Tables.RowAsync(table.Inner, 5 + i), together[i].Parameters);
        }
    }

    [Fact]
    public async Task A_step_that_would_make_a_weight_non_finite_is_refused_and_leaves_the_row_as_it_was()
    {
        using var table = await Tables.SeededAsync(4);
        var batcher = BatcherFor.Table(table);
        var before = await Tables.RowAsync(table.Inner, 3);
        var reckless = new LearnSpec(LossFunction.MeanSquaredError, 1e30f, 0);

        var learned = await batcher.LearnAsync(3, Tables.Input(3), [1e30f, -1e30f], reckless, null).Within();

        Assert.False(learned.Applied);
        Assert.Equal(before, await Tables.RowAsync(table.Inner, 3));
    }
}
