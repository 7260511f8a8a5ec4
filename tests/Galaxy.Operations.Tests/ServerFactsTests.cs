using Galaxy.Operations.Postgres;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>What a backup reads about its server: <c>archive_timeout</c> in seconds, and a server out of reach named.</summary>
public sealed class ServerFactsTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30s", 30)]
    [InlineData("45", 45)]
    [InlineData("1min", 60)]
    [InlineData("2h", 7200)]
    [InlineData("1500ms", 1)]
    public void Archive_timeout_as_the_server_shows_it_reads_in_seconds(string setting, int seconds) =>
        Assert.Equal(seconds, ServerFacts.ParseSeconds(setting));

    [Fact]
    public async Task A_server_out_of_reach_is_named_with_its_address_and_database()
    {
        var port = LoopbackPort.Free();

        var error = await Assert.ThrowsAsync<OperationsException>(() =>
            ServerFacts.ReadAsync($"Host=127.0.0.1;Port={port};Database=galaxy;Username=galaxy;Timeout=5", CancellationToken.None));

        Assert.StartsWith($"Cannot reach PostgreSQL at 127.0.0.1:{port} (database galaxy): ", error.Message, StringComparison.Ordinal);
    }
}
