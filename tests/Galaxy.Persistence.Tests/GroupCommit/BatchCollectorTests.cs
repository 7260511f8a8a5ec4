using System.Threading.Channels;

namespace Galaxy.Persistence.Tests.GroupCommit;

/// <summary>
/// How queued writes become batches, without a database: the row and byte limits, one write per row, the order a batch
/// locks its rows in, and what is held back for the next batch.
/// </summary>
public sealed class BatchCollectorTests
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();

    [Fact]
    public async Task A_batch_takes_at_most_MaxBatchRows_writes_and_the_rest_start_the_next_in_arrival_order()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchRows = 2 });
        Enqueue(Write(1), Write(2), Write(3));

        AssertKeys(await collector.NextBatchAsync(), 1, 2);
        AssertKeys(await collector.NextBatchAsync(), 3);
    }

    [Fact]
    public async Task A_second_write_of_a_row_waits_for_the_next_batch()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchRows = 3 });
        var first = Write(7);
        var second = Write(7);
        Enqueue(first, second, Write(8), Write(9));

        var batch = await collector.NextBatchAsync();
        var next = await collector.NextBatchAsync();

        AssertKeys(batch, 7, 8, 9);
        Assert.Same(first, batch![0]);
        AssertKeys(next, 7);
        Assert.Same(second, next![0]);
    }

    [Fact]
    public async Task Writes_held_back_take_their_places_in_the_next_batch_before_writes_queued_after_them()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchRows = 2 });
        Enqueue(Write(7), Write(7), Write(8));
        AssertKeys(await collector.NextBatchAsync(), 7, 8);

        Enqueue(Write(9), Write(10));

        AssertKeys(await collector.NextBatchAsync(), 7, 9);
        AssertKeys(await collector.NextBatchAsync(), 10);
    }

    [Fact]
    public async Task A_write_that_would_pass_MaxBatchBytes_starts_the_next_batch()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchBytes = 1024 });
        Enqueue(Write(1, bytes: 600), Write(2, bytes: 500), Write(3, bytes: 100));

        AssertKeys(await collector.NextBatchAsync(), 1);
        AssertKeys(await collector.NextBatchAsync(), 2, 3);
    }

    [Fact]
    public async Task A_batch_whose_bytes_reach_MaxBatchBytes_exactly_is_full()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchBytes = 1024 });
        Enqueue(Write(1, bytes: 1000), Write(2, bytes: 24), Write(3, bytes: 0));

        AssertKeys(await collector.NextBatchAsync(), 1, 2);
        AssertKeys(await collector.NextBatchAsync(), 3);
    }

    [Fact]
    public async Task A_single_write_larger_than_MaxBatchBytes_goes_in_a_batch_of_its_own()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchBytes = 1024 });
        Enqueue(Write(1, bytes: 4096), Write(2, bytes: 10));

        AssertKeys(await collector.NextBatchAsync(), 1);
        AssertKeys(await collector.NextBatchAsync(), 2);
    }

    [Fact]
    public async Task A_cleared_state_counts_no_bytes()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchBytes = 1024 });
        Enqueue(Write(1, bytes: 1000), Write(2, bytes: null), Write(3, bytes: 24));

        AssertKeys(await collector.NextBatchAsync(), 1, 2, 3);
    }

    [Fact]
    public async Task A_batch_lists_its_writes_in_row_key_order()
    {
        var collector = Collector(new GroupCommitStorageOptions());
        Enqueue(Write(30), Write(10), Write(20));

        AssertKeys(await collector.NextBatchAsync(), 10, 20, 30);
    }

    [Fact]
    public async Task Without_linger_a_batch_is_what_was_queued_when_it_was_taken()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxLinger = TimeSpan.Zero });
        Enqueue(Write(1));

        var batch = collector.NextBatchAsync();
        Enqueue(Write(2));

        AssertKeys(await batch, 1);
        AssertKeys(await collector.NextBatchAsync(), 2);
    }

    [Fact]
    public async Task With_linger_a_batch_waits_for_writes_that_fill_it()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxLinger = TimeSpan.FromSeconds(1), MaxBatchRows = 2 });
        Enqueue(Write(1));

        var batch = collector.NextBatchAsync();
        await Task.Yield();
        Enqueue(Write(2));

        AssertKeys(await batch, 1, 2);
    }

    [Fact]
    public async Task A_lingering_batch_that_does_not_fill_flushes_what_it_has_when_the_linger_ends()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxLinger = TimeSpan.FromMilliseconds(20) });
        Enqueue(Write(1));

        AssertKeys(await collector.NextBatchAsync(), 1);
    }

    [Fact]
    public async Task A_completed_queue_yields_its_last_writes_then_no_batch()
    {
        var collector = Collector(new GroupCommitStorageOptions { MaxBatchRows = 1 });
        Enqueue(Write(1), Write(2));
        _queue.Writer.Complete();

        AssertKeys(await collector.NextBatchAsync(), 1);
        AssertKeys(await collector.NextBatchAsync(), 2);
        Assert.Null(await collector.NextBatchAsync());
    }

    [Fact]
    public async Task A_batch_waits_for_its_first_write()
    {
        var collector = Collector(new GroupCommitStorageOptions());

        var batch = collector.NextBatchAsync();
        Assert.False(batch.IsCompleted);
        Enqueue(Write(5));

        AssertKeys(await batch, 5);
    }

    private BatchCollector Collector(GroupCommitStorageOptions options) => new(_queue.Reader, options, TimeProvider.System);

    private void Enqueue(params PendingWrite[] writes)
    {
        foreach (var write in writes)
        {
            Assert.True(_queue.Writer.TryWrite(write));
        }
    }

    private static PendingWrite Write(long unit, int? bytes = 16) =>
        new(StorageRowKey.For("counter", TestGrains.Integer(unit)), expectedVersion: null, bytes is { } n ? new byte[n] : null);

    /// <summary>The batch's writes are those of these units, in this order.</summary>
    private static void AssertKeys(List<PendingWrite>? batch, params long[] units)
    {
        Assert.NotNull(batch);
        Assert.Equal(units, batch.Select(write => write.Key.N1));
    }
}
