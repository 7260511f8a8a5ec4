namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// PostgreSQL could not be reached, so the write was not acknowledged. While the outage lasts, writes fail with this at
/// once instead of queuing behind connection attempts. As with the stock provider, a write whose connection broke during
/// the commit itself may still have landed; the grain's next write then fails its version check.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception cause) : Exception(message, cause);
