using Galaxy.Testing.Processes;
using Npgsql;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// PostgreSQL down and PostgreSQL dropping connections. The server is shared with concurrently running tests, so it is
/// never stopped: a closed port stands for a server that is down, and terminating this provider's own backends does to
/// it what a server restart does (every pooled connection dies) without touching anyone else's.
/// </summary>
public sealed class OutageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Writes_to_a_server_that_is_down_fail_with_a_clear_error_and_then_at_once_without_retrying()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = LoopbackPort.Free() }.ConnectionString;
        await using var host = await StorageHost.StartAsync(
            database.ConnectionString, options => options.ConnectionString = unreachable, new ManualClock());
        var stateName = TestGrains.FreshStateName();
        var state = new GrainState<CounterState>(CounterState.Of(1));

        var first = await Assert.ThrowsAsync<StorageUnavailableException>(
            () => host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(1), state));
        Assert.IsAssignableFrom<NpgsqlException>(first.InnerException);
        Assert.EndsWith("); the write was not acknowledged.", first.Message, StringComparison.Ordinal);

        // Within the backoff, writes fail on the failure that began the outage: no new connection attempt is made.
        var during = Enumerable.Range(0, 100).Select(i => Assert.ThrowsAsync<StorageUnavailableException>(
            () => host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), new GrainState<CounterState>(CounterState.Of(i)))));
        Assert.All(await Task.WhenAll(during), failure =>
        {
            Assert.Same(first.InnerException, failure.InnerException);
            Assert.EndsWith("); the write was not attempted.", failure.Message, StringComparison.Ordinal);
        });
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Writes_fail_when_the_server_drops_the_connections_and_resume_after_the_backoff()
    {
        var applicationName = $"galaxy-outage-{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = applicationName }.ConnectionString;
        var clock = new ManualClock();
        var logs = new LogLines();
        await using var host = await StorageHost.StartAsync(database.ConnectionString, options =>
        {
            options.ConnectionString = connectionString;
            options.OutageBackoff = Backoff;
        }, clock, logs);
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.Integer(1);
        var state = new GrainState<CounterState>(CounterState.Of(1));
        await host.GroupCommit.WriteStateAsync(stateName, grain, state);

        await TerminateBackendsAsync(applicationName);
        state.State = CounterState.Of(2);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => host.GroupCommit.WriteStateAsync(stateName, grain, state));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => host.GroupCommit.WriteStateAsync(stateName, grain, state));
        Assert.Equal("1", state.ETag);
        Assert.Equal(1, Assert.Single(await StoredRow.ReadAsync(database, stateName)).Version);

        clock.Advance(Backoff);
        await host.GroupCommit.WriteStateAsync(stateName, grain, state);

        Assert.Equal("2", state.ETag);
        var read = new GrainState<CounterState>();
        await host.GroupCommit.ReadStateAsync(stateName, grain, read);
        Assert.Equal(("2", 2L), (read.ETag, read.Counter().Sequence));

        // The operator hears of the outage once, when it began, and once when it ended.
        var lines = logs.Lines.ToList();
        const string Began = "Error: PostgreSQL is unreachable; 1 writes failed, and writes fail at once until it answers again.";
        const string Ended = "Information: PostgreSQL answers again; group-commit writes resumed.";
        Assert.Single(lines, line => line == Began);
        Assert.Single(lines, line => line == Ended);
        Assert.True(lines.IndexOf(Began) < lines.IndexOf(Ended), "the outage's end was logged before its beginning");
    }

    [Fact]
    public async Task A_read_from_a_server_that_is_down_fails_with_a_clear_error_naming_the_state_and_grain()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = LoopbackPort.Free() }.ConnectionString;
        await using var host = await StorageHost.StartAsync(database.ConnectionString, options => options.ConnectionString = unreachable);
        var stateName = TestGrains.FreshStateName();
        var state = new GrainState<CounterState>();

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => host.GroupCommit.ReadStateAsync(stateName, TestGrains.Integer(7), state));

        Assert.StartsWith("PostgreSQL is unreachable (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith($"the {stateName} state of {TestGrains.Integer(7)} could not be read. Retry shortly.", failure.Message, StringComparison.Ordinal);
        Assert.False(state.RecordExists);
    }

    private async Task TerminateBackendsAsync(string applicationName)
    {
        var terminated = await database.ScalarAsync<long>(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
            applicationName);
        Assert.True(terminated > 0);

        // pg_terminate_backend only signals: wait, bounded, until the backends are gone.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", applicationName) > 0)
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
