namespace Galaxy.Cluster.Tests;

/// <summary>Learns that name the revision they start from, and a unit whose stored state moved on without it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConditionalLearnTests(GalaxyTestCluster galaxy)
{
    private static readonly float[] Target = [0.25f, 0, -0.25f, 1];

    [Fact]
    public async Task A_learn_from_the_units_revision_is_applied_and_a_repeat_of_it_is_refused_without_change()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(24);
        var input = Reference.RandomVector(new Random(24), 16);
        var before = await unit.GetState();

        var receipt = await unit.Learn(input, Target, expectedRevision: before.Revision);
        var repeat = await Assert.ThrowsAsync<RevisionMismatchException>(() => unit.Learn(input, Target, expectedRevision: before.Revision));
        var after = await unit.GetState();

        Assert.Equal(before.Revision + 1, receipt.Revision);
        Assert.Equal(before.Revision, repeat.Expected);
        Assert.Equal(receipt.Revision, repeat.Actual);
        Assert.Equal(receipt.Revision, after.Revision);
        Assert.Equal(before.Learns + 1, after.Learns);
    }

    [Fact]
    public async Task A_learn_from_a_revision_the_unit_has_not_reached_is_refused()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(25);
        var before = await unit.GetState();

        await Assert.ThrowsAsync<RevisionMismatchException>(
            () => unit.Learn(Reference.RandomVector(new Random(25), 16), Target, expectedRevision: before.Revision + 5));

        Assert.Equal(before.Revision, (await unit.GetState()).Revision);
    }

    [Fact]
    public async Task A_unit_whose_stored_version_moved_on_fails_that_write_then_reads_its_state_again()
    {
        // As when PostgreSQL committed a write and then crashed before it could answer: storage is a version ahead.
        const long unitId = 27;
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(unitId);
        var input = Reference.RandomVector(new Random(27), 16);
        await unit.Learn(input, Target);
        await galaxy.Database.ScalarAsync<int>(
            "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainTypeString = 'unit' AND GrainIdN1 = $1 RETURNING Version", unitId);

        await Assert.ThrowsAsync<StateNotPersistedException>(() => unit.Learn(input, Target));
        var next = await unit.Learn(input, Target);

        Assert.True(next.Applied);
        Assert.Equal(next.Revision, (await unit.GetState()).Revision);
    }
}
