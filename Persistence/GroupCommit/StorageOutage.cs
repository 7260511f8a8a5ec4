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
