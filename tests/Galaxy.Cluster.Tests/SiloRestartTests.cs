namespace Galaxy.Cluster.Tests;

/// <summary>Restarts silos, so it owns its galaxy rather than sharing one.</summary>
public sealed class SiloRestartTests : IAsyncLifetime
{
    private readonly GalaxyTestCluster _galaxy = new();

    public Task InitializeAsync() => _galaxy.InitializeAsync();

    public Task DisposeAsync() => _galaxy.DisposeAsync();

    [Fact]
    public async Task A_learn_acknowledged_before_a_restart_of_every_silo_is_there_after_it()
    {
        var unit = _galaxy.Client.GetGrain<IAiUnitGrain>(9);
        var input = Reference.RandomVector(new Random(9), 16);
        var receipt = await unit.Learn(input, [0.5f, -0.5f, 1, 0]);
        var acknowledged = await unit.GetState();

        await RestartEverySiloAsync();

        var after = await unit.GetState();
        Assert.Equal(receipt.Revision, after.Revision);
        Assert.Equal(acknowledged.Parameters, after.Parameters);
        Reference.AssertClose(Reference.Predict(acknowledged, input), await unit.Predict(input));
    }

    [Fact]
    public async Task Unit_and_labscape_state_survive_a_restart_of_every_silo()
    {
        await _galaxy.Client.GetGrain<IAiUnitGrain>(21).Checkpoint();
        var unitBefore = await _galaxy.Client.GetGrain<IAiUnitGrain>(21).GetState();
        var labscapeBefore = await _galaxy.Client.GetGrain<ILabscapeGrain>(2).GetState();

        await RestartEverySiloAsync();

        var unitAfter = await _galaxy.Client.GetGrain<IAiUnitGrain>(21).GetState();
        var labscapeAfter = await _galaxy.Client.GetGrain<ILabscapeGrain>(2).GetState();

        // A fresh state would have a new CreatedAt: equality proves the row was read back.
        Assert.Equal(unitBefore.CreatedAt, unitAfter.CreatedAt);
        Assert.Equal(unitBefore.Parameters, unitAfter.Parameters);
        Assert.Equal(labscapeBefore.CreatedAt, labscapeAfter.CreatedAt);
        Assert.Equal(1L, await _galaxy.Database.ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'unit' AND GrainIdN1 = 21"));
    }

    private async Task RestartEverySiloAsync()
    {
        foreach (var silo in _galaxy.Cluster.Silos.ToList())
        {
            await _galaxy.Cluster.RestartSiloAsync(silo);
        }
    }
}
