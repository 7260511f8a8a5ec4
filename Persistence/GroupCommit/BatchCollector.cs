using System.Threading.Channels;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// Takes queued writes into batches within <see cref="GroupCommitStorageOptions.MaxBatchRows"/> and
/// <see cref="GroupCommitStorageOptions.MaxBatchBytes"/>, waiting at most <see cref="GroupCommitStorageOptions.MaxLinger"/>
/// after a batch's first write for it to fill. A batch holds at most one write per row, since one statement cannot check
/// and update a row twice: a second write of the same grain goes in a later batch, checked against the row as it finds it.
/// </summary>
internal sealed class BatchCollector(ChannelReader<PendingWrite> queue, GroupCommitStorageOptions options, TimeProvider clock)
{
    // Writes taken from the queue that did not fit their batch; they start the next one, in arrival order.
    private readonly Queue<PendingWrite> _heldBack = new();

    /// <summary>The next batch, sorted by row key; null once the queue is completed and drained.</summary>
    public async Task<List<PendingWrite>?> NextBatchAsync()
    {
        var batch = new Batch(options);
        for (var held = _heldBack.Count; held > 0; held--)
        {
            Offer(batch, _heldBack.Dequeue());
        }

        if (batch.Writes.Count == 0 && !await queue.WaitToReadAsync())
        {
            return null;
        }

        var deadline = clock.GetTimestamp() + (long)(options.MaxLinger.TotalSeconds * clock.TimestampFrequency);
        while (!batch.IsFull)
        {
            while (!batch.IsFull && queue.TryRead(out var write))
            {
                Offer(batch, write);
            }

            if (batch.IsFull || !await WaitForMoreAsync(clock.GetElapsedTime(clock.GetTimestamp(), deadline)))
            {
                break;
            }
        }

        batch.Writes.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        return batch.Writes;
    }

    private void Offer(Batch batch, PendingWrite write)
    {
        if (!batch.TryAdd(write))
        {
            _heldBack.Enqueue(write);
        }
    }

    /// <summary>Waits up to <paramref name="linger"/> for a queued write; false when none came (or the queue completed).</summary>
    private async Task<bool> WaitForMoreAsync(TimeSpan linger)
    {
        if (linger <= TimeSpan.Zero)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(linger, clock);
        try
        {
            return await queue.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    private sealed class Batch(GroupCommitStorageOptions options)
    {
        private readonly HashSet<StorageRowKey> _keys = [];
        private long _bytes;

        public List<PendingWrite> Writes { get; } = [];

        public bool IsFull { get; private set; }

        /// <summary>False when the write must wait for the next batch: this one is full, has its row, or lacks room for its bytes.</summary>
        public bool TryAdd(PendingWrite write)
        {
            if (IsFull)
            {
                return false;
            }

            var bytes = write.Payload?.Length ?? 0;
            if (Writes.Count > 0 && _bytes + bytes > options.MaxBatchBytes)
            {
                IsFull = true;
                return false;
            }

            if (!_keys.Add(write.Key))
            {
                return false;
            }

            Writes.Add(write);
            _bytes += bytes;
            IsFull = Writes.Count >= options.MaxBatchRows || _bytes >= options.MaxBatchBytes;
            return true;
        }
    }
}
