using System.Net.Sockets;
using Npgsql;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// Remembers that PostgreSQL proved unreachable, so that for <see cref="GroupCommitStorageOptions.OutageBackoff"/> batches
/// fail at once rather than each waiting on its own connection attempt; the first batch after the backoff tries again.
/// </summary>
internal sealed class StorageOutage(TimeSpan backoff, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private Exception? _cause;
    private long _retryAt;

    /// <summary>
    /// Network and connection failures, and the server's own "connection exception" (08) and "operator intervention"
    /// (57P: shutdown, terminated backend) classes; not errors in a statement, which another batch would not share.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                      || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>The failure that began the outage, while its backoff lasts; null when a batch may try PostgreSQL.</summary>
    public Exception? ActiveCause()
    {
        lock (_lock)
        {
            return _cause is not null && clock.GetTimestamp() < _retryAt ? _cause : null;
        }
    }

    /// <summary>True when this starts an outage (none was being remembered).</summary>
    public bool Begin(Exception cause)
    {
        lock (_lock)
        {
            var started = _cause is null;
            _cause = cause;
            _retryAt = clock.GetTimestamp() + (long)(backoff.TotalSeconds * clock.TimestampFrequency);
            return started;
        }
    }

    /// <summary>True when this ends an outage.</summary>
    public bool End()
    {
        lock (_lock)
        {
            var ended = _cause is not null;
            _cause = null;
            return ended;
        }
    }
}
