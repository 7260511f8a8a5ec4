using Galaxy.Kernels;

namespace Galaxy.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class UnitAndLabscapeStateTests(GalaxyTestCluster galaxy)
{
    [Fact]
    public async Task A_new_unit_has_no_weights_of_its_own_and_serves_its_seeded_model_without_writing_anything()
    {
        const long unitId = 13;
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(unitId);
        var input = Reference.RandomVector(new Random(13), 16);

        var output = await unit.Predict(input);
        var state = await unit.GetState();

        var seeded = new float[MlpArchitecture.Default.ParameterCount];
        MlpArchitecture.Default.InitializeParameters(unitId, seeded);
        Assert.Equal((unitId, 1), (state.UnitId, state.LabscapeId));
        Assert.Equal((new ModelShape(0, 0, 0), 0, ""), (state.Architecture, state.Parameters.Length, state.ModelVersion));
        Assert.Null(state.Dormant);
        Reference.AssertClose(ReferenceMlp.Forward(MlpArchitecture.Default, ReferenceMlp.ToDouble(seeded), ReferenceMlp.ToDouble(input)), output);
        Assert.Equal(1, state.Predictions);
        Assert.Equal(0, await CountRowsAsync("unit", unitId));

        await unit.Checkpoint();

        Assert.Equal(1, await CountRowsAsync("unit", unitId));
    }

    [Fact]
    public async Task State_is_stored_in_the_Orleans_binary_format_not_json()
    {
        await galaxy.Client.GetGrain<IAiUnitGrain>(14).Learn(Reference.RandomVector(new Random(14), 16), [1, 0, 0, 0]);

        var payload = await galaxy.Database.ScalarAsync<byte[]>(
            "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'unit' AND GrainIdN1 = $1", 14L);

        Assert.NotNull(payload);
        Assert.NotEqual((byte)'{', payload[0]);
        Assert.True(payload.Length < 2 * sizeof(float) * MlpArchitecture.Default.ParameterCount, $"{payload.Length} bytes");
        Assert.Null(await galaxy.Database.ScalarAsync<string>(
            "SELECT PayloadJson FROM OrleansStorage WHERE GrainTypeString = 'unit' AND GrainIdN1 = $1", 14L));
    }

    [Fact]
    public async Task A_labscape_knows_its_units_and_is_persisted()
    {
        var state = await galaxy.Client.GetGrain<ILabscapeGrain>(2).GetState();

        Assert.Equal(2, state.LabscapeId);
        Assert.Equal(2L * GalaxyTestCluster.UnitsPerLabscape, state.FirstUnitId);
        Assert.Equal(GalaxyTestCluster.UnitsPerLabscape, state.UnitCount);
        Assert.Equal(1, await CountRowsAsync("labscape", 2));
    }

    [Fact]
    public async Task A_unit_and_a_labscape_with_the_same_key_keep_separate_rows()
    {
        await galaxy.Client.GetGrain<IAiUnitGrain>(3).Learn(Reference.RandomVector(new Random(3), 16), [0, 1, 0, 0]);
        var unit = await galaxy.Client.GetGrain<IAiUnitGrain>(3).GetState();
        var labscape = await galaxy.Client.GetGrain<ILabscapeGrain>(3).GetState();

        Assert.Equal(1, await CountRowsAsync("unit", 3));
        Assert.Equal(1, await CountRowsAsync("labscape", 3));
        await galaxy.Cluster.DeactivateAsync(galaxy.Client.GetGrain<IAiUnitGrain>(3));
        await galaxy.Cluster.DeactivateAsync(galaxy.Client.GetGrain<ILabscapeGrain>(3));
        Assert.Equal(unit.Parameters, (await galaxy.Client.GetGrain<IAiUnitGrain>(3).GetState()).Parameters);
        Assert.Equal(labscape, await galaxy.Client.GetGrain<ILabscapeGrain>(3).GetState());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(GalaxyTestCluster.Labscapes * GalaxyTestCluster.UnitsPerLabscape)]
    [InlineData(long.MaxValue)]
    public async Task A_unit_key_outside_the_topology_is_rejected_and_writes_nothing(long unitId)
    {
        var error = await Assert.ThrowsAsync<GalaxyKeyOutOfRangeException>(
            () => galaxy.Client.GetGrain<IAiUnitGrain>(unitId).GetState());

        Assert.Equal(unitId, error.Id);
        Assert.Equal(0, await CountRowsAsync("unit", unitId));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(GalaxyTestCluster.Labscapes)]
    public async Task A_labscape_key_outside_the_topology_is_rejected_and_writes_nothing(long labscapeId)
    {
        await Assert.ThrowsAsync<GalaxyKeyOutOfRangeException>(
            () => galaxy.Client.GetGrain<ILabscapeGrain>(labscapeId).GetState());

        Assert.Equal(0, await CountRowsAsync("labscape", labscapeId));
    }

    [Fact]
    public async Task The_galaxy_grain_reports_the_configured_topology()
    {
        var topology = await galaxy.Client.GetGrain<IGalaxyGrain>(0).GetTopology();

        Assert.Equal(GalaxyTestCluster.Labscapes, topology.Labscapes);
        Assert.Equal(GalaxyTestCluster.UnitsPerLabscape, topology.UnitsPerLabscape);
        Assert.Equal(GalaxyTestCluster.Labscapes * GalaxyTestCluster.UnitsPerLabscape, topology.UnitCount);
    }

    // An integer grain key is stored in GrainIdN1 (GrainIdN0 holds the key's upper half, zero here).
    private Task<long> CountRowsAsync(string stateName, long key) =>
        galaxy.Database.ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdN1 = $2", stateName, key);
}
