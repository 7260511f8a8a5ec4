namespace Galaxy.Persistence.Tests;

public sealed class VersionConflictTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // With a linger far longer than a test needs, a batch flushes exactly when its eighth write arrives.
    private const int BatchRows = 8;

    [Fact]
    public async Task A_stale_write_fails_alone_and_leaves_its_row_untouched_while_the_rest_of_its_batch_commits()
    {
        await using var host = await StartBatchingHostAsync();
        var stateName = TestGrains.FreshStateName();
        var states = Enumerable.Range(0, BatchRows).Select(_ => new GrainState<CounterState>(CounterState.Of(1))).ToArray();
        await Task.WhenAll(states.Select((state, i) => host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), state)));

        // Another activation of grain 6 moves its row on; a second activation of grain 7 never read its row.
        var elsewhere = new GrainState<CounterState>(CounterState.Of(60)) { ETag = "1" };
        await host.Stock.WriteStateAsync(stateName, TestGrains.Integer(6), elsewhere);
        states[7] = new GrainState<CounterState>();

        foreach (var state in states)
        {
            state.State = CounterState.Of(2);
        }

        var writes = states.Select((state, i) => host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), state)).ToArray();

        await Task.WhenAll(writes[..6]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[6]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[7]);
        var rows = await StoredRow.ReadAsync(database, stateName);
        Assert.All(rows[..6], row => Assert.Equal(2, row.Version));
        Assert.Single(rows[..6].Select(row => row.TransactionId).Distinct());
        Assert.Equal((2, 60L), (rows[6].Version, await SequenceAsync(host, stateName, 6)));
        Assert.Equal((1, 1L), (rows[7].Version, await SequenceAsync(host, stateName, 7)));
    }

    [Fact]
    public async Task A_write_from_a_version_a_later_batch_moved_on_fails_and_the_row_keeps_that_batch_s_state()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.Integer(1);
        var stale = await StaleAfterTwoWritesAsync(host, stateName, grain);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => host.GroupCommit.WriteStateAsync(stateName, grain, stale));

        Assert.StartsWith("Version conflict (WriteState): ", conflict.Message, StringComparison.Ordinal);
        Assert.Contains($"GrainType={stateName} GrainId={grain} ETag=1.", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("1", stale.ETag);
        var row = Assert.Single(await StoredRow.ReadAsync(database, stateName));
        Assert.Equal(2, row.Version);
        Assert.Equal(2L, await SequenceAsync(host, stateName, 1));
    }

    [Fact]
    public async Task A_clear_from_a_version_a_later_write_moved_on_fails_and_the_row_keeps_that_write_s_state()
    {
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.Integer(1);
        var stale = await StaleAfterTwoWritesAsync(host, stateName, grain);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => host.GroupCommit.ClearStateAsync(stateName, grain, stale));

        Assert.StartsWith("Version conflict (ClearState): ", conflict.Message, StringComparison.Ordinal);
        Assert.True(stale.RecordExists);
        Assert.Equal("1", stale.ETag);
        var row = Assert.Single(await StoredRow.ReadAsync(database, stateName));
        Assert.Equal(2, row.Version);
        Assert.NotNull(row.PayloadBinary);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Of_two_writes_of_one_grain_from_the_same_version_exactly_one_applies(bool rowExists)
    {
        await using var host = await StartBatchingHostAsync();
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.Integer(0);
        string? version = null;
        if (rowExists)
        {
            var seed = new GrainState<CounterState>(CounterState.Of(1));
            await host.Stock.WriteStateAsync(stateName, grain, seed);
            version = seed.ETag;
        }

        // The second write of the grain waits for the next batch; fourteen others fill both batches.
        var first = host.GroupCommit.WriteStateAsync(stateName, grain, new GrainState<CounterState>(CounterState.Of(100)) { ETag = version });
        var second = host.GroupCommit.WriteStateAsync(stateName, grain, new GrainState<CounterState>(CounterState.Of(200)) { ETag = version });
        var others = Enumerable.Range(1, 2 * BatchRows - 2).Select(i =>
            host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), new GrainState<CounterState>(CounterState.Of(i))));

        await Task.WhenAll(others);
        var outcomes = await Task.WhenAll(Outcome(first, 100), Outcome(second, 200));

        var winner = Assert.Single(outcomes, outcome => outcome is not null);
        Assert.Single(outcomes, outcome => outcome is null);
        Assert.Equal(winner, await SequenceAsync(host, stateName, 0));
    }

    private Task<StorageHost> StartBatchingHostAsync() => StorageHost.StartAsync(database.ConnectionString, options =>
    {
        options.MaxBatchRows = BatchRows;
        options.MaxLinger = TimeSpan.FromSeconds(1);
    });

    /// <summary>The write's sequence when it applied; null when it failed its version check.</summary>
    private static async Task<long?> Outcome(Task write, long sequence)
    {
        try
        {
            await write;
            return sequence;
        }
        catch (InconsistentStateException)
        {
            return null;
        }
    }

    /// <summary>Writes the state twice and answers it as the first write left it: a caller that missed the second.</summary>
    private static async Task<GrainState<CounterState>> StaleAfterTwoWritesAsync(StorageHost host, string stateName, GrainId grain)
    {
        var state = new GrainState<CounterState>(CounterState.Of(1));
        await host.GroupCommit.WriteStateAsync(stateName, grain, state);
        var stale = new GrainState<CounterState>(CounterState.Of(99)) { ETag = state.ETag, RecordExists = true };
        state.State = CounterState.Of(2);
        await host.GroupCommit.WriteStateAsync(stateName, grain, state);
        return stale;
    }

    private static async Task<long> SequenceAsync(StorageHost host, string stateName, long key)
    {
        var state = new GrainState<CounterState>();
        await host.GroupCommit.ReadStateAsync(stateName, TestGrains.Integer(key), state);
        return state.Counter().Sequence;
    }
}
