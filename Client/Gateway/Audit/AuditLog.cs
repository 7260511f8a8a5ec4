using System.Threading.Channels;
using Galaxy.Persistence.Audit;
using Npgsql;

namespace Galaxy.Gateway.Audit;

/// <summary>
/// Appends requests' entries to the hash-chained <c>galaxy_audit</c> table (schema 0006). Callers wait until their entry is
/// committed. Entries that arrive together share one transaction, which takes the chain head's lock once: concurrent
/// learns cost one round trip per batch rather than one serialized transaction each.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource database, ILogger<AuditLog> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(8_192) { SingleReader = true });

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // Let the writer drain what was accepted before the host stops it.
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await WriteAsync(batch);
                batch.ForEach(pending => pending.Committed.TrySetResult());
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogError(exception, "Could not append {Count} audit entries.", batch.Count);
                batch.ForEach(pending => pending.Committed.TrySetException(exception));
            }

            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var appends = new NpgsqlBatch(connection, transaction);
        foreach (var (entry, _) in batch)
        {
            appends.BatchCommands.Add(AuditAppend.Command(entry));
        }

        await appends.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Committed);
}
