using Galaxy.Grains.Labscapes;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// A labscape's grain side, as a unit on another silo and the bulk endpoints reach it: the same answers the unit gives
/// itself, and refusals for slots, units and labscapes that are not its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LabscapeEngineGrainTests(GalaxyTestCluster galaxy)
{
    // Labscape 1's units 10 and 11 (slots 2 and 3), which no other test of the shared cluster uses.
    private const int Labscape = 1;
    private const long UnitId = 10;
    private const int Slot = 2;

    [Fact]
    public async Task A_unit_asking_through_the_grain_is_answered_as_it_answers_itself()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(UnitId);
        var engine = galaxy.Client.GetGrain<ILabscapeEngineGrain>(Labscape);
        var input = Reference.RandomVector(new Random(10), 16);
        var view = await unit.Describe();
        var revision = view.State.Revision;

        var predicted = await engine.Predict(Slot, revision, input, null);
        var described = await engine.Describe(Slot, revision);

        Assert.False(predicted.Stale);
        Assert.Equal(await unit.Predict(input), predicted.Value!.Output);
        Assert.Equal(view.Serving, predicted.Value.Version);
        Assert.Equal(view.Parameters, described.Value!.Parameters);
        Assert.Equal(view.OwnWeights, described.Value.OwnWeights);
    }

    [Fact]
    public async Task A_request_at_another_revision_is_told_stale_and_changes_nothing()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(UnitId + 1);
        var engine = galaxy.Client.GetGrain<ILabscapeEngineGrain>(Labscape);
        var input = Reference.RandomVector(new Random(11), 16);
        var before = await unit.Describe();

        var learned = await engine.Learn(Slot + 1, before.State.Revision + 5, input, [1, 0, 0, 0], null);
        var predicted = await engine.Predict(Slot + 1, before.State.Revision + 5, input, null);

        Assert.True(learned.Stale);
        Assert.True(predicted.Stale);
        var after = await unit.Describe();
        Assert.Equal(before.Parameters, after.Parameters);
        Assert.Equal(before.State.Revision, after.State.Revision);
    }

    [Fact]
    public async Task Syncing_a_unit_to_its_durable_weights_leaves_it_answering_as_before()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(UnitId + 1);
        var engine = galaxy.Client.GetGrain<ILabscapeEngineGrain>(Labscape);
        var state = await unit.GetState();
        var input = Reference.RandomVector(new Random(12), 16);
        var before = await unit.Predict(input);

        await engine.Sync(Slot + 1, state.Revision, state.Own, state.Dormant);

        Assert.Equal(before, (await engine.Predict(Slot + 1, state.Revision, input, null)).Value!.Output);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(GalaxyTestCluster.UnitsPerLabscape)]
    public async Task A_slot_outside_the_labscape_is_refused(int slot)
    {
        var engine = galaxy.Client.GetGrain<ILabscapeEngineGrain>(Labscape);

        var refused = await Assert.ThrowsAsync<InvalidUnitInputException>(() => engine.Predict(slot, 0, new float[16], null));

        Assert.Equal($"Slot {slot} is outside 0…{GalaxyTestCluster.UnitsPerLabscape - 1}.", refused.Message);
    }

    [Fact]
    public async Task A_labscape_outside_the_galaxy_has_no_engine_and_no_figures()
    {
        var missing = GalaxyTestCluster.Labscapes;

        await Assert.ThrowsAsync<GalaxyKeyOutOfRangeException>(() => galaxy.Client.GetGrain<ILabscapeEngineGrain>(missing).Activate());
        await Assert.ThrowsAsync<GalaxyKeyOutOfRangeException>(() => galaxy.Client.GetGrain<ILabscapeEngineGrain>(missing).Describe(0, 0));
        await Assert.ThrowsAsync<GalaxyKeyOutOfRangeException>(() => galaxy.Client.GetGrain<ILabscapeGrain>(missing).GetMetrics());
    }

    [Fact]
    public async Task A_bulk_predict_refuses_a_missing_input_a_foreign_unit_and_a_timeout_that_is_not_positive()
    {
        var labscape = galaxy.Client.GetGrain<ILabscapeGrain>(Labscape);
        var input = new float[16];

        var missing = await Assert.ThrowsAsync<InvalidUnitInputException>(() => labscape.PredictMany([UnitId, UnitId + 1], [input], null));
        var foreign = await Assert.ThrowsAsync<InvalidUnitInputException>(() => labscape.PredictMany([2], [input], null));
        var outside = await Assert.ThrowsAsync<InvalidUnitInputException>(() => labscape.PredictMany([-1], [input], null));
        var timeout = await Assert.ThrowsAsync<InvalidUnitInputException>(() => labscape.PredictMany([UnitId], [input], TimeSpan.Zero));

        Assert.Equal("2 units need 2 inputs, not 1.", missing.Message);
        Assert.Equal($"Unit 2 is not in labscape {Labscape}.", foreign.Message);
        Assert.Equal($"Unit -1 is not in labscape {Labscape}.", outside.Message);
        Assert.Equal($"The timeout must be positive, not {TimeSpan.Zero}.", timeout.Message);
    }
}
