using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// The group commit: grains' writes queue here, one loop takes them into batches, and each batch commits in one
/// transaction while up to <see cref="GroupCommitStorageOptions.MaxInFlightBatches"/> others do. While every slot is busy
/// the queue grows, so batches grow with the load. A write is answered only after its batch's transaction committed.
/// </summary>
internal sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue;
    private readonly SemaphoreSlim _flushSlots;
    private readonly int _maxInFlightBatches;
    private readonly NpgsqlDataSource _dataSource;
    private readonly BatchUpsert _upsert;
    private readonly StorageOutage _outage;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public GroupCommitWriter(
        NpgsqlDataSource dataSource, string serviceId, GroupCommitStorageOptions options, TimeProvider clock, ILogger logger)
    {
        _queue = Channel.CreateBounded<PendingWrite>(
            new BoundedChannelOptions(options.MaxQueuedWrites) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _maxInFlightBatches = options.MaxInFlightBatches;
        _flushSlots = new SemaphoreSlim(_maxInFlightBatches, _maxInFlightBatches);
        _dataSource = dataSource;
        _upsert = new BatchUpsert(dataSource, serviceId);
        _outage = new StorageOutage(options.OutageBackoff, clock);
        _logger = logger;
        _loop = RunAsync(new BatchCollector(_queue.Reader, options, clock));
    }

    /// <summary>
    /// Queues the write (waiting while the queue is full) and completes when its batch has committed: true when it
    /// applied, false on a version conflict. Cancellation only withdraws a write still waiting for room in the queue.
    /// </summary>
    public async Task<bool> WriteAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The group-commit storage has shut down.");
        }

        return await write.Outcome;
    }

    /// <summary>Stops taking writes, commits every write already queued, and waits for the last batch.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        for (var slot = 0; slot < _maxInFlightBatches; slot++)
        {
            await _flushSlots.WaitAsync();
        }

        _flushSlots.Dispose();
    }

    private async Task RunAsync(BatchCollector collector)
    {
        // Off the constructor's thread: the loop lives as long as the provider.
        await Task.Yield();
        while (true)
        {
            await _flushSlots.WaitAsync();
            var batch = await collector.NextBatchAsync();
            if (batch is null)
            {
                _flushSlots.Release();
                return;
            }

            _ = FlushAsync(batch);
        }
    }

    private async Task FlushAsync(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (_outage.ActiveCause() is { } cause)
            {
                FailAll(batch, () => new StorageUnavailableException(
                    $"PostgreSQL is unreachable ({cause.Message}); the write was not attempted.", cause));
                return;
            }

            var applied = await _upsert.CommitAsync(batch, CancellationToken.None);
            CommitMetrics.Record(batch.Count, started, "committed");
            if (_outage.End())
            {
                LogOutageEnded();
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completed(applied[i]);
            }
        }
        catch (Exception exception) when (StorageUnavailableException.IsOutage(exception))
        {
            CommitMetrics.Record(batch.Count, started, "unavailable");
            if (_outage.Begin(exception))
            {
                LogOutageBegan(exception, batch.Count);
            }

            // Pooled connections died with the server's side of them: let the next attempt open fresh ones.
            _dataSource.Clear();
            FailAll(batch, () => new StorageUnavailableException(
                $"PostgreSQL is unreachable ({exception.Message}); the write was not acknowledged.", exception));
        }
        catch (Exception exception)
        {
            CommitMetrics.Record(batch.Count, started, "failed");
            LogBatchFailed(exception, batch.Count);
            FailAll(batch, () => new BatchWriteFailedException(
                $"The batch of {batch.Count} writes this one belonged to failed ({exception.Message}); none of them was committed.",
                exception));
        }
        finally
        {
            _flushSlots.Release();
        }
    }

    // One exception per write: a single instance rethrown by many awaiters would collect all their stack traces.
    private static void FailAll(List<PendingWrite> batch, Func<Exception> failure)
    {
        foreach (var write in batch)
        {
            write.Failed(failure());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL is unreachable; {Count} writes failed, and writes fail at once until it answers again.")]
    private partial void LogOutageBegan(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL answers again; group-commit writes resumed.")]
    private partial void LogOutageEnded();

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} grain-state writes failed; none of them was committed.")]
    private partial void LogBatchFailed(Exception exception, int count);
}
