using System.Threading.Channels;
using Npgsql;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// Reads grains' rows, coalescing the reads that are waiting into one query (<c>unnest</c> of the keys joined to the
/// table on its unique index). A lone read goes out at once in a batch of one; when many grains activate together
/// (a cold start activates a million) they share round trips instead of queueing for connections.
/// </summary>
internal sealed class StateReader : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const int MaxBatchesInFlight = 4;

    private const string Sql = """
        SELECT k.Ordinal, s.PayloadBinary, s.Version, s.GrainIdN1 IS NOT NULL
        FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) WITH ORDINALITY AS k(GrainType, N0, N1, Extension, Ordinal)
        LEFT JOIN OrleansStorage s
               ON s.ServiceId = $1 AND s.GrainTypeString = k.GrainType AND s.GrainIdN0 = k.N0 AND s.GrainIdN1 = k.N1
              AND COALESCE(s.GrainIdExtensionString, '') = k.Extension
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly Channel<PendingRead> _pending = Channel.CreateUnbounded<PendingRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _batchesInFlight = new(MaxBatchesInFlight);
    private readonly Task _pump;

    public StateReader(NpgsqlDataSource dataSource, string serviceId)
    {
        _dataSource = dataSource;
        _serviceId = serviceId;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The stored row, or null when the grain never wrote this state.</summary>
    public Task<StoredState?> ReadAsync(StorageRowKey key, CancellationToken cancellationToken)
    {
        var read = new PendingRead(key, cancellationToken);
        if (!_pending.Writer.TryWrite(read))
        {
            throw new ObjectDisposedException(nameof(StateReader));
        }

        return read.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _pump;
        for (var i = 0; i < MaxBatchesInFlight; i++)
        {
            await _batchesInFlight.WaitAsync();
        }
    }

    private async Task PumpAsync()
    {
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            await _batchesInFlight.WaitAsync();
            var batch = new List<PendingRead>();
            while (batch.Count < MaxBatch && reader.TryRead(out var read))
            {
                if (!read.Cancellation.IsCancellationRequested)
                {
                    batch.Add(read);
                }
                else
                {
                    read.Completion.TrySetCanceled(read.Cancellation);
                }
            }

            _ = ReadBatchAsync(batch);
        }
    }

    private async Task ReadBatchAsync(List<PendingRead> batch)
    {
        try
        {
            if (batch.Count > 0)
            {
                await QueryAsync(batch);
            }
        }
        catch (Exception exception)
        {
            foreach (var read in batch)
            {
                read.Completion.TrySetException(exception);
            }
        }
        finally
        {
            _batchesInFlight.Release();
        }
    }

    private async Task QueryAsync(List<PendingRead> batch)
    {
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(r => r.Key.GrainType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Select(r => r.Key.N0).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Select(r => r.Key.N1).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(r => r.Key.Extension ?? "").ToArray() });

        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var read = batch[(int)reader.GetInt64(0) - 1];
            read.Completion.TrySetResult(reader.GetBoolean(3)
                ? new StoredState(
                    reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1),
                    reader.IsDBNull(2) ? null : reader.GetInt32(2))
                : null);
        }
    }

    private sealed record PendingRead(StorageRowKey Key, CancellationToken Cancellation)
    {
        public TaskCompletionSource<StoredState?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A stored row: its payload (null once cleared) and version.</summary>
internal readonly record struct StoredState(byte[]? Payload, int? Version);
