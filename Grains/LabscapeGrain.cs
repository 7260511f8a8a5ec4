namespace Galaxy.Grains;

/// <summary>One labscape: 4,096 units' compute scheduler. Seeded and persisted on first activation.</summary>
public sealed class LabscapeGrain(
    [PersistentState(LabscapeState.StateName, GrainStorage.Galaxy)] IPersistentState<LabscapeState> state,
    IOptions<GalaxyTopologyOptions> topologyOptions,
    TimeProvider clock) : Grain, ILabscapeGrain
{
    private readonly GalaxyTopology _topology = topologyOptions.Value.ToTopology();

    private int LabscapeId => (int)this.GetPrimaryKeyLong();

    private bool Exists => _topology.ContainsLabscape(this.GetPrimaryKeyLong());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists && !state.RecordExists)
        {
            var now = clock.GetUtcNow();
            state.State = new LabscapeState
            {
                LabscapeId = LabscapeId,
                Architecture = _topology.Architecture,
                FirstUnitId = (long)LabscapeId * _topology.UnitsPerLabscape,
                UnitCount = _topology.UnitsPerLabscape,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await state.PersistAsync(cancellationToken);
        }
    }

    public Task<LabscapeState> GetState()
    {
        if (!Exists)
        {
            DeactivateOnIdle();
            throw new GalaxyKeyOutOfRangeException("Labscape", this.GetPrimaryKeyLong(), _topology.Labscapes);
        }

        return Task.FromResult(state.State);
    }
}
