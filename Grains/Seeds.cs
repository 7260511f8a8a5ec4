namespace Galaxy.Grains;

/// <summary>
/// The state a unit or labscape starts with. Grains use it on first activation, the seeder to write a whole galaxy
/// at once. A unit starts with no weights of its own: it serves what its labscape serves, its initial model until a
/// version is deployed, whose weights are a pure function of its id (<see cref="InitialParameters"/>).
/// </summary>
public static class Seeds
{
    public static UnitState Unit(long unitId, GalaxyTopology topology, DateTimeOffset now) => new()
    {
        UnitId = unitId,
        LabscapeId = topology.LabscapeOf(unitId),
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>The unit's initial model: Xavier weights drawn from its id, in the topology's shape.</summary>
    public static float[] InitialParameters(long unitId, GalaxyTopology topology)
    {
        var parameters = new float[topology.Architecture.ParameterCount];
        topology.Architecture.ToArchitecture().InitializeParameters(unitId, parameters);
        return parameters;
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
