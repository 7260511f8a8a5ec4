namespace Galaxy.Grains;

/// <summary>
/// The durable state of one AI unit: its own weights, if it has learned, and its history. Persisted under the state name
/// <see cref="StateName"/>. A unit that has not learned since its version was deployed has no weights of its own: it
/// serves what its labscape serves (<see cref="LabscapeServing"/>). Once it learns on a version, its weights for that
/// version are its own (copy on write), and it serves them whenever its labscape serves that version again.
/// </summary>
[GenerateSerializer, Alias("galaxy.unit-state.v1")]
public sealed record UnitState
{
    public const string StateName = "unit";

    [Id(0)] public long UnitId { get; init; }

    [Id(1)] public int LabscapeId { get; init; }

    /// <summary>The shape of <see cref="Parameters"/>; zero when the unit has no weights of its own.</summary>
    [Id(2)] public ModelShape Architecture { get; init; } = new(0, 0, 0);

    /// <summary>The unit's own weights, W1 | b1 | W2 | b2 row-major (see <c>Galaxy.Kernels.MlpArchitecture</c>); empty when it has none.</summary>
    [Id(3)] public float[] Parameters { get; init; } = [];

    /// <summary>The version <see cref="Parameters"/> were learned from (<c>initial</c>, <c>digits:3</c>); empty when it has none.</summary>
    [Id(4)] public string ModelVersion { get; init; } = "";

    /// <summary>Bumped by every change of the unit's own weights (a learn, a reset).</summary>
    [Id(5)] public long Revision { get; init; }

    [Id(6)] public long Predictions { get; init; }

    [Id(7)] public long Learns { get; init; }

    /// <summary>Learn steps refused because they would have made a parameter non-finite.</summary>
    [Id(8)] public long RejectedSteps { get; init; }

    [Id(9)] public DateTimeOffset CreatedAt { get; init; }

    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Own weights learned from another version than <see cref="ModelVersion"/>, kept so that a rollback to that version
    /// gives the unit back what it learned there. A unit keeps its weights for at most two versions.
    /// </summary>
    [Id(11)] public OwnWeights? Dormant { get; init; }

    /// <summary>The unit's own weights as a record; null when it has none.</summary>
    public OwnWeights? Own => Parameters.Length == 0 ? null : new OwnWeights(ModelVersion, Architecture, Parameters);

    /// <summary>Its own weights learned from <paramref name="version"/>, current or dormant; null when it has none.</summary>
    public OwnWeights? OwnFor(string version) => Own is { } own && own.Version == version ? own : Dormant?.Version == version ? Dormant : null;

    /// <summary>This state with <paramref name="own"/> as its own weights, and <paramref name="dormant"/> kept beside them.</summary>
    public UnitState WithOwn(OwnWeights? own, OwnWeights? dormant) => this with
    {
        Architecture = own?.Shape ?? new ModelShape(0, 0, 0),
        Parameters = own?.Parameters ?? [],
        ModelVersion = own?.Version ?? "",
        Dormant = dormant,
    };
}
