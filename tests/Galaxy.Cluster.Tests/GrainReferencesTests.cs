namespace Galaxy.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(GalaxyTestCluster galaxy)
{
    [Fact]
    public void A_unit_reference_resolved_once_names_the_grain_the_stock_call_names()
    {
        var grains = galaxy.Cluster.Client;

        Assert.Equal(grains.GetGrain<IAiUnitGrain>(17).GetGrainId(), grains.GetUnit(17).GetGrainId());
        Assert.Equal(grains.GetGrain<ILabscapeGrain>(3).GetGrainId(), grains.GetLabscape(3).GetGrainId());
    }

    [Fact]
    public async Task A_unit_reference_resolved_once_reaches_that_unit()
    {
        var state = await galaxy.Cluster.Client.GetUnit(21).GetState();

        Assert.Equal(21, state.UnitId);
    }
}
