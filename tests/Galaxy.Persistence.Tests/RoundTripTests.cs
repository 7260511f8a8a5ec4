namespace Galaxy.Persistence.Tests;

public sealed class RoundTripTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private StorageHost _host = null!;

    public async Task InitializeAsync() => _host = await StorageHost.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_grain_never_written_reads_as_a_new_state_without_record()
    {
        var state = new GrainState<CounterState>();

        await _host.GroupCommit.ReadStateAsync(TestGrains.FreshStateName(), TestGrains.Integer(1), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.Counter().Sequence);
    }

    [Fact]
    public async Task Writes_number_versions_from_one_and_read_back_what_was_written()
    {
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.Integer(2);
        var state = new GrainState<CounterState>(CounterState.Of(1));

        await _host.GroupCommit.WriteStateAsync(stateName, grain, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);

        state.State = CounterState.Of(2);
        await _host.GroupCommit.WriteStateAsync(stateName, grain, state);
        Assert.Equal("2", state.ETag);

        var read = new GrainState<CounterState>();
        await _host.GroupCommit.ReadStateAsync(stateName, grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal(CounterState.Of(2).Values, read.Counter().Values);
        Assert.Equal(2, read.Counter().Sequence);
    }

    [Fact]
    public async Task Clear_keeps_the_row_without_payload_under_a_new_version_that_stale_writers_fail_against()
    {
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.Integer(3);
        var state = new GrainState<CounterState>(CounterState.Of(7));
        await _host.GroupCommit.WriteStateAsync(stateName, grain, state);
        var stale = new GrainState<CounterState>(CounterState.Of(8)) { ETag = state.ETag };

        await _host.GroupCommit.ClearStateAsync(stateName, grain, state);

        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.Counter().Sequence);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _host.GroupCommit.WriteStateAsync(stateName, grain, stale));

        var read = new GrainState<CounterState>();
        await _host.GroupCommit.ReadStateAsync(stateName, grain, read);
        Assert.Equal("2", read.ETag);
        Assert.Equal(0, read.Counter().Sequence);
    }

    [Fact]
    public async Task Clearing_a_grain_never_written_writes_nothing()
    {
        var stateName = TestGrains.FreshStateName();
        var state = new GrainState<CounterState>();

        await _host.GroupCommit.ClearStateAsync(stateName, TestGrains.Integer(4), state);

        Assert.Null(state.ETag);
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1", stateName));
    }
}
