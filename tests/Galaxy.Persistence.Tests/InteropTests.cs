namespace Galaxy.Persistence.Tests;

/// <summary>The group-commit provider and Microsoft.Orleans.Persistence.AdoNet's share rows: same key, same payload.</summary>
public sealed class InteropTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private StorageHost _host = null!;

    public static TheoryData<string> Shapes => TestGrains.Shapes;

    public async Task InitializeAsync() => _host = await StorageHost.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Each_provider_reads_and_continues_what_the_other_wrote(string shape)
    {
        var stateName = TestGrains.FreshStateName();
        var grain = TestGrains.OfShape(shape, 1);
        var byStock = new GrainState<CounterState>(CounterState.Of(1));
        var byGroupCommit = new GrainState<CounterState>();

        await _host.Stock.WriteStateAsync(stateName, grain, byStock);
        await _host.GroupCommit.ReadStateAsync(stateName, grain, byGroupCommit);
        Assert.Equal(("1", 1L), (byGroupCommit.ETag, byGroupCommit.Counter().Sequence));

        byGroupCommit.State = CounterState.Of(2);
        await _host.GroupCommit.WriteStateAsync(stateName, grain, byGroupCommit);
        var stale = new GrainState<CounterState>(CounterState.Of(99)) { ETag = byStock.ETag };
        await _host.Stock.ReadStateAsync(stateName, grain, byStock);
        Assert.Equal(("2", 2L), (byStock.ETag, byStock.Counter().Sequence));

        byStock.State = CounterState.Of(3);
        await _host.Stock.WriteStateAsync(stateName, grain, byStock);
        await _host.GroupCommit.ReadStateAsync(stateName, grain, byGroupCommit);
        Assert.Equal(("3", 3L), (byGroupCommit.ETag, byGroupCommit.Counter().Sequence));

        await Assert.ThrowsAsync<InconsistentStateException>(() => _host.GroupCommit.WriteStateAsync(stateName, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _host.Stock.WriteStateAsync(stateName, grain, stale));
        var row = Assert.Single(await StoredRow.ReadAsync(database, stateName));
        Assert.Equal(3, row.Version);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Both_providers_store_the_same_key_columns_hashes_and_payload_bytes(string shape)
    {
        var stockStateName = TestGrains.FreshStateName();
        var groupCommitStateName = TestGrains.FreshStateName();
        var grain = TestGrains.OfShape(shape, 2);

        await _host.Stock.WriteStateAsync(stockStateName, grain, new GrainState<CounterState>(CounterState.Of(5)));
        await _host.GroupCommit.WriteStateAsync(groupCommitStateName, grain, new GrainState<CounterState>(CounterState.Of(5)));

        var stockRow = Assert.Single(await StoredRow.ReadAsync(database, stockStateName));
        var groupCommitRow = Assert.Single(await StoredRow.ReadAsync(database, groupCommitStateName));
        Assert.Equal(
            (stockRow.GrainIdHash, stockRow.GrainIdN0, stockRow.GrainIdN1, stockRow.GrainIdExtensionString, stockRow.ServiceId),
            (groupCommitRow.GrainIdHash, groupCommitRow.GrainIdN0, groupCommitRow.GrainIdN1, groupCommitRow.GrainIdExtensionString, groupCommitRow.ServiceId));
        Assert.Equal(stockRow.PayloadBinary, groupCommitRow.PayloadBinary);
        Assert.Equal(TypeHash(stockStateName), stockRow.GrainTypeHash);
        Assert.Equal(TypeHash(groupCommitStateName), groupCommitRow.GrainTypeHash);
    }

    // The stock provider's own hasher, applied as it applies it to the state name.
    private static int TypeHash(string stateName) => new OrleansDefaultHasher().Hash(System.Text.Encoding.UTF8.GetBytes(stateName));
}
