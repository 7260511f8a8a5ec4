using System.Net.Sockets;
using Npgsql;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// PostgreSQL could not be reached, so a write was not acknowledged or a read not answered. While the outage lasts,
/// writes fail with this at once instead of queuing behind connection attempts. As with the stock provider, a write
/// whose connection broke during the commit itself may still have landed; the grain's next write then fails its version
/// check. Serializable, so that a failed read reaches the caller of the grain whose activation needed it; an instance
/// that crosses the wire carries no inner exception (a driver's exceptions have no codec), only its message.
/// </summary>
[GenerateSerializer, Alias("galaxy.storage-unavailable")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

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

    /// <summary>A read that failed because PostgreSQL is out of reach, fit to cross the wire.</summary>
    public static StorageUnavailableException ForRead(string what, Exception cause) =>
        new($"PostgreSQL is unreachable ({cause.Message}); {what} could not be read. Retry shortly.");
}
