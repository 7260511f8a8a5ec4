namespace Galaxy.Grains;

/// <summary>
/// The state a unit or labscape starts with. Grains use it on first activation, the seeder to write a whole galaxy
/// at once; either way a unit's initial weights are a pure function of its id.
/// </summary>
public static class Seeds
{
    public const string InitialModelVersion = "initial";

    public static UnitState Unit(long unitId, GalaxyTopology topology, DateTimeOffset now)
    {
        var shape = topology.Architecture;
        var parameters = new float[shape.ParameterCount];
        shape.ToArchitecture().InitializeParameters(unitId, parameters);
        return new UnitState
        {
            UnitId = unitId,
            LabscapeId = topology.LabscapeOf(unitId),
            Architecture = shape,
            Parameters = parameters,
            ModelVersion = InitialModelVersion,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public static LabscapeState Labscape(int labscapeId, GalaxyTopology topology, BatchingSettings batching, DateTimeOffset now) => new()
    {
        LabscapeId = labscapeId,
        Architecture = topology.Architecture,
        FirstUnitId = (long)labscapeId * topology.UnitsPerLabscape,
        UnitCount = topology.UnitsPerLabscape,
        Batching = batching,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
