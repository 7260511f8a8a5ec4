namespace Galaxy.Gateway;

/// <summary>
/// The cluster's topology, asked once of the galaxy grain: lets the gateway turn away ids that cannot exist without
/// activating a grain for each.
/// </summary>
public sealed class TopologyCache(IClusterClient cluster)
{
    private GalaxyTopology? _topology;

    public async ValueTask<GalaxyTopology> GetAsync() =>
        _topology ??= await cluster.GetGrain<IGalaxyGrain>(0).GetTopology();
}
