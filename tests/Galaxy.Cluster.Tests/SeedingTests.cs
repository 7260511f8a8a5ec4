using Galaxy.Silo.Seeding;

namespace Galaxy.Cluster.Tests;

/// <summary>Seeds the galaxy past the grains, then checks that the grains read what was seeded.</summary>
public sealed class SeedingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SeededAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly GalaxyTestCluster _galaxy = new() { InitialSilos = 1 };

    public Task InitializeAsync() => _galaxy.InitializeAsync();

    public Task DisposeAsync() => _galaxy.DisposeAsync();

    [Fact]
    public async Task Seeding_writes_each_missing_row_once_and_resumes_where_it_stopped()
    {
        await using var seeder = CreateSeeder();

        var firstLabscape = await seeder.SeedLabscapeAsync(0, CancellationToken.None);
        var all = 0;
        for (var labscape = 0; labscape < GalaxyTestCluster.Labscapes; labscape++)
        {
            all += await seeder.SeedLabscapeAsync(labscape, CancellationToken.None);
        }

        var again = await seeder.SeedLabscapeAsync(2, CancellationToken.None);

        Assert.Equal(GalaxyTestCluster.UnitsPerLabscape, firstLabscape);
        Assert.Equal((GalaxyTestCluster.Labscapes - 1) * GalaxyTestCluster.UnitsPerLabscape, all);
        Assert.Equal(0, again);
        Assert.Equal((long)GalaxyTestCluster.Labscapes, await _galaxy.Database.ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'labscape'"));
    }

    [Fact]
    public async Task Grains_read_the_seeded_state_instead_of_seeding_themselves()
    {
        await using var seeder = CreateSeeder();
        await seeder.SeedLabscapeAsync(1, CancellationToken.None);

        var unit = await _galaxy.Client.GetGrain<IAiUnitGrain>(9).GetState();
        var labscape = await _galaxy.Client.GetGrain<ILabscapeGrain>(1).GetState();

        Assert.Equal(SeededAt, unit.CreatedAt);
        Assert.Empty(unit.Parameters);
        Assert.Equal(SeededAt, labscape.CreatedAt);
        var input = Reference.RandomVector(new Random(9), 16);
        Reference.AssertClose(Reference.Predict(unit, input), await _galaxy.Client.GetGrain<IAiUnitGrain>(9).Predict(input));
    }

    private GalaxySeeder CreateSeeder() => new(
        _galaxy.Database.ConnectionString,
        _galaxy.Cluster.Options.ServiceId,
        new GalaxyTopology(GalaxyTestCluster.Labscapes, GalaxyTestCluster.UnitsPerLabscape, new ModelShape(16, 16, 4)),
        new BatchingOptions().ToSettings(),
        new FixedClock(SeededAt));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
