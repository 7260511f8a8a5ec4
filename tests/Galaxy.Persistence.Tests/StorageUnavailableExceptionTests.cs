using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// Which failures mean PostgreSQL is out of reach (so writes fail fast until it is back) and which are a statement's own;
/// and that a failed read crosses the wire to the grain's caller with its message.
/// </summary>
public sealed class StorageUnavailableExceptionTests
{
    [Theory]
    [InlineData("08006", true)] // connection failure
    [InlineData("08001", true)] // cannot connect now
    [InlineData("57P01", true)] // terminated by the administrator
    [InlineData("57P03", true)] // the server is starting up
    [InlineData("23505", false)] // a unique violation: this statement's own
    [InlineData("40001", false)] // a serialization failure: this transaction's own
    public void The_servers_connection_and_shutdown_errors_are_outages_and_a_statements_own_are_not(string sqlState, bool outage) =>
        Assert.Equal(outage, StorageUnavailableException.IsOutage(new PostgresException("from the server", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void Network_failures_are_outages_and_other_exceptions_are_not()
    {
        Assert.True(StorageUnavailableException.IsOutage(new NpgsqlException("Failed to connect to 127.0.0.1:5432")));
        Assert.True(StorageUnavailableException.IsOutage(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(StorageUnavailableException.IsOutage(new IOException("Unable to read data from the transport connection")));
        Assert.True(StorageUnavailableException.IsOutage(new TimeoutException("The operation has timed out")));
        Assert.False(StorageUnavailableException.IsOutage(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void A_failed_read_crosses_the_wire_with_its_message_and_without_the_drivers_exception()
    {
        using var services = new ServiceCollection()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(StorageUnavailableException).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var failed = StorageUnavailableException.ForRead("unit 42", new NpgsqlException("Failed to connect to 127.0.0.1:5432"));

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(failed));

        var copy = Assert.IsType<StorageUnavailableException>(received);
        Assert.Equal("PostgreSQL is unreachable (Failed to connect to 127.0.0.1:5432); unit 42 could not be read. Retry shortly.", copy.Message);
        Assert.Null(copy.InnerException);
    }
}
