namespace Galaxy.Grains;

/// <summary>
/// One AI unit. On its first activation a unit is seeded with deterministic weights drawn from its id and persisted at
/// once, so every unit that ever answered has a row.
/// </summary>
public sealed class AiUnitGrain(
    [PersistentState(UnitState.StateName, GrainStorage.Galaxy)] IPersistentState<UnitState> state,
    IOptions<GalaxyTopologyOptions> topologyOptions,
    TimeProvider clock) : Grain, IAiUnitGrain
{
    private readonly GalaxyTopology _topology = topologyOptions.Value.ToTopology();

    private long UnitId => this.GetPrimaryKeyLong();

    private bool Exists => _topology.ContainsUnit(UnitId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists && !state.RecordExists)
        {
            state.State = NewUnit(UnitId, _topology, clock.GetUtcNow());
            await state.PersistAsync(cancellationToken);
        }
    }

    public Task<UnitState> GetState()
    {
        EnsureExists();
        return Task.FromResult(state.State);
    }

    internal static UnitState NewUnit(long unitId, GalaxyTopology topology, DateTimeOffset now)
    {
        var shape = topology.Architecture;
        var parameters = new float[shape.ParameterCount];
        new MlpArchitecture(shape.Inputs, shape.Hidden, shape.Outputs).InitializeParameters(unitId, parameters);
        return new UnitState
        {
            UnitId = unitId,
            LabscapeId = topology.LabscapeOf(unitId),
            Architecture = shape,
            Parameters = parameters,
            ModelVersion = "initial",
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private void EnsureExists()
    {
        if (!Exists)
        {
            DeactivateOnIdle();
            throw new GalaxyKeyOutOfRangeException("Unit", UnitId, _topology.UnitCount);
        }
    }
}
