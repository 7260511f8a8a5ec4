namespace Galaxy.Grains;

/// <summary>The galaxy-wide entry point: answers from the silo's configuration, so it is stateless.</summary>
[StatelessWorker]
public sealed class GalaxyGrain(IOptions<GalaxyTopologyOptions> topologyOptions) : Grain, IGalaxyGrain
{
    public Task<GalaxyTopology> GetTopology() => Task.FromResult(topologyOptions.Value.ToTopology());
}
