namespace Galaxy.Cluster.Tests;

/// <summary>
/// The same grains on the stock Microsoft.Orleans.Persistence.AdoNet provider, so that our schema keeps answering the
/// provider's query contract end to end: a unit's first write, a restart, read back.
/// </summary>
public sealed class StockProviderTests : IAsyncLifetime
{
    private readonly GalaxyTestCluster _galaxy = new()
    {
        InitialSilos = 1,
        Settings = new Dictionary<string, string?> { ["Galaxy:Storage:Provider"] = "AdoNet" },
    };

    public Task InitializeAsync() => _galaxy.InitializeAsync();

    public Task DisposeAsync() => _galaxy.DisposeAsync();

    [Fact]
    public async Task Unit_state_written_by_the_stock_provider_survives_a_silo_restart()
    {
        var unit = _galaxy.Client.GetGrain<IAiUnitGrain>(12);
        var receipt = await unit.Learn(Reference.RandomVector(new Random(12), 16), [1, 0, 0, 0]);
        var acknowledged = await unit.GetState();

        await _galaxy.Cluster.RestartSiloAsync(_galaxy.Cluster.Silos[0]);

        var after = await _galaxy.Client.GetGrain<IAiUnitGrain>(12).GetState();
        Assert.Equal(receipt.Revision, after.Revision);
        Assert.Equal(acknowledged.Parameters, after.Parameters);
        Assert.Equal(1, await _galaxy.Database.ScalarAsync<int>(
            "SELECT Version FROM OrleansStorage WHERE GrainTypeString = 'unit' AND GrainIdN1 = 12"));
    }
}
