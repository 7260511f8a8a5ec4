using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// The provider at its edges: state names it does not store, a clear without a version, the name its connections give
/// the server, a read its caller gave up on, writes too large to share a batch, shutting down, and calls after it has.
/// </summary>
public sealed class ProviderEdgeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_generic_type_name_as_state_name_is_refused_before_anything_is_written()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            host.GroupCommit.WriteStateAsync("List`1", TestGrains.Integer(1), new GrainState<CounterState>(CounterState.Of(1))));

        Assert.Equal("stateName", error.ParamName);
        Assert.StartsWith("State name 'List`1' looks like a generic type name", error.Message, StringComparison.Ordinal);
        Assert.Empty(await StoredRow.ReadAsync(database, "List`1"));
    }

    [Fact]
    public async Task Clearing_a_state_that_exists_without_knowing_its_version_is_a_version_conflict()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var stateName = TestGrains.FreshStateName();
        await host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(1), new GrainState<CounterState>(CounterState.Of(1)));
        var unversioned = new GrainState<CounterState>(CounterState.Of(1)) { RecordExists = true };

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => host.GroupCommit.ClearStateAsync(stateName, TestGrains.Integer(1), unversioned));

        Assert.StartsWith("Version conflict (ClearState)", conflict.Message, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(await StoredRow.ReadAsync(database, stateName)).PayloadBinary);
    }

    [Fact]
    public async Task A_clear_by_a_caller_that_never_read_the_state_reads_its_version_first_and_clears_it()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var stateName = TestGrains.FreshStateName();
        await host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(1), new GrainState<CounterState>(CounterState.Of(1)));
        var unread = new GrainState<CounterState>();

        await host.GroupCommit.ClearStateAsync(stateName, TestGrains.Integer(1), unread);

        Assert.Equal(("2", false), (unread.ETag, unread.RecordExists));
        var row = Assert.Single(await StoredRow.ReadAsync(database, stateName));
        Assert.Equal(2, row.Version);
        Assert.Null(row.PayloadBinary);
    }

    [Fact]
    public async Task Its_connections_name_the_provider_to_the_server()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);

        await host.GroupCommit.WriteStateAsync(TestGrains.FreshStateName(), TestGrains.Integer(1), new GrainState<CounterState>(CounterState.Of(1)));

        // The pool keeps the connection that wrote, so the server still lists it.
        Assert.True(await ProviderConnectionsAsync() > 0, $"no connection of the database is named {ProviderConnectionName}");
    }

    [Fact]
    public async Task A_read_whose_caller_gave_up_before_it_went_out_is_cancelled()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var state = new GrainState<CounterState>();

        var storage = Assert.IsType<GroupCommitGrainStorage>(host.GroupCommit);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            storage.ReadStateAsync(TestGrains.FreshStateName(), TestGrains.Integer(1), state, new CancellationToken(canceled: true)));

        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Writes_too_large_to_share_a_batch_each_commit_in_a_batch_of_their_own()
    {
        using var services = new ServiceCollection().AddSerializer(serializer => serializer.AddAssembly(typeof(CounterState).Assembly)).BuildServiceProvider();
        var payload = services.GetRequiredService<Serializer>().SerializeToArray(CounterState.Of(1)).Length;
        await using var host = await StorageHost.StartAsync(database.ConnectionString, options =>
        {
            // Room for one payload and a half: the second write of a batch never fits.
            options.MaxBatchBytes = Math.Max(1024, payload * 3 / 2);
            options.MaxLinger = TimeSpan.FromMilliseconds(200);
        });
        var stateName = TestGrains.FreshStateName();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), new GrainState<CounterState>(CounterState.Of(i)))));

        var rows = await StoredRow.ReadAsync(database, stateName);
        Assert.Equal([1, 1, 1], rows.Select(row => row.Version));
        Assert.Equal(3, rows.Select(row => row.TransactionId).Distinct().Count());
    }

    [Fact]
    public async Task Shutting_down_commits_every_write_already_queued_then_closes_its_connections()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString, options =>
        {
            options.MaxBatchRows = 4;
            options.MaxInFlightBatches = 2;
        });
        var storage = Assert.IsType<GroupCommitGrainStorage>(host.GroupCommit);
        var stateName = TestGrains.FreshStateName();
        var writes = Enumerable.Range(0, 64)
            .Select(i => storage.WriteStateAsync(stateName, TestGrains.Integer(i), new GrainState<CounterState>(CounterState.Of(i))))
            .ToArray();

        await storage.DisposeAsync();

        // Bounded: a shutdown that dropped the queue would leave these waiting for ever.
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(64, (await StoredRow.ReadAsync(database, stateName)).Count);
        // A closed connection's server process ends a moment later: wait for that, bounded.
        var waited = Stopwatch.StartNew();
        long open;
        while ((open = await ProviderConnectionsAsync()) > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.True(open == 0, $"{open} connections named {ProviderConnectionName} still open 10 s after shutdown");
    }

    [Fact]
    public async Task Reads_and_writes_after_shutdown_are_refused_as_such()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var storage = Assert.IsType<GroupCommitGrainStorage>(host.GroupCommit);
        // As the silo's shutdown does; the host disposes it once more when the test ends, which must be harmless.
        await storage.DisposeAsync();
        var state = new GrainState<CounterState>(CounterState.Of(1));

        var write = await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteStateAsync(TestGrains.FreshStateName(), TestGrains.Integer(1), state));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadStateAsync(TestGrains.FreshStateName(), TestGrains.Integer(1), state));

        Assert.StartsWith("The group-commit storage has shut down.", write.Message, StringComparison.Ordinal);
        Assert.Null(state.ETag);
    }

    /// <summary>The name <see cref="StorageHost"/>'s group-commit provider gives its connections.</summary>
    private const string ProviderConnectionName = "galaxy-storage-group-commit";

    private Task<long> ProviderConnectionsAsync() => database.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", database.Name, ProviderConnectionName);
}
