namespace Galaxy.Cluster.Tests;

/// <summary>
/// Each silo's <see cref="ISiloLabscapesGrain"/> runs on that silo and lists the labscapes active there, read from their
/// batchers: what the dashboard's heat map asks every second, which must not activate the labscapes nobody uses.
/// </summary>
public sealed class SiloLabscapesTests : IAsyncLifetime
{
    private readonly GalaxyTestCluster _galaxy = new();

    public Task InitializeAsync() => _galaxy.InitializeAsync();

    public Task DisposeAsync() => _galaxy.DisposeAsync();

    [Fact]
    public async Task Each_silo_lists_the_labscapes_active_on_it_and_asking_activates_no_other()
    {
        var management = _galaxy.Client.GetGrain<IManagementGrain>(0);
        await _galaxy.Client.GetLabscape(1).GetState();
        var before = await ActiveLabscapesAsync(management);
        Assert.Contains(1, before.Keys);
        Assert.True(before.Count < GalaxyTestCluster.Labscapes, "every labscape was active before the test asked: nothing to show");

        var listed = new Dictionary<int, SiloAddress>();
        foreach (var silo in (await management.GetHosts(onlyActive: true)).Keys)
        {
            var reader = _galaxy.Client.GetGrain<ISiloLabscapesGrain>(silo.ToParsableString());
            foreach (var (labscape, metrics) in await reader.GetMetrics())
            {
                listed.Add(labscape, silo);
                Assert.False(string.IsNullOrEmpty(metrics.Silo));
            }

            Assert.Equal(silo, await management.GetActivationAddress(reader));
        }

        Assert.Equal(before.OrderBy(pair => pair.Key), listed.OrderBy(pair => pair.Key));
        Assert.Equal(before.Keys.Order(), (await ActiveLabscapesAsync(management)).Keys.Order());
    }

    /// <summary>Each active labscape and the silo it runs on, as Orleans's directory has them.</summary>
    private async Task<Dictionary<int, SiloAddress>> ActiveLabscapesAsync(IManagementGrain management)
    {
        var active = new Dictionary<int, SiloAddress>();
        for (var labscape = 0; labscape < GalaxyTestCluster.Labscapes; labscape++)
        {
            if (await management.GetActivationAddress(_galaxy.Client.GetLabscape(labscape)) is { } silo)
            {
                active[labscape] = silo;
            }
        }

        return active;
    }
}
