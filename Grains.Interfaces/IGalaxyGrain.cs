namespace Galaxy.Grains;

/// <summary>The galaxy-wide entry point (key 0): what clients ask before they address units.</summary>
[Alias("galaxy.IGalaxyGrain")]
public interface IGalaxyGrain : IGrainWithIntegerKey
{
    [Alias("GetTopology")]
    Task<GalaxyTopology> GetTopology();
}
