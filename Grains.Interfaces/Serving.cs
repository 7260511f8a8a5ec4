namespace Galaxy.Grains;

/// <summary>
/// A registry version as labscapes serve it: which one it is, its shape, its loss and its classes, and whether it
/// serves with int8 weights (an int8 table, quantised from its stored weights).
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.served-version")]
public sealed record ServedVersion(
    [property: Id(0)] Guid ModelId,
    [property: Id(1)] string ModelName,
    [property: Id(2)] int Version,
    [property: Id(3)] ModelShape Shape,
    [property: Id(4)] LossFunction Loss,
    [property: Id(5)] string[] Classes)
{
    /// <summary>Serves from an int8 table (the version's technique ends in int8); absent in records written before, so false.</summary>
    [Id(6)]
    public bool Int8 { get; init; }

    /// <summary>How units and reports name it: <c>digits:3</c>.</summary>
    public string Key => $"{ModelName}:{Version}";
}

/// <summary>
/// What a labscape serves, its deployment record: <see cref="Stable"/> for its units (null: every unit's own seeded
/// initial model) and <see cref="Canary"/> for a share of them, <see cref="CanaryBasisPoints"/> in 10,000. Which
/// units are canary is a pure function of the unit and the deployment, and a larger share keeps the smaller one's
/// units, so a canary that grows step by step never moves a unit back.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.labscape-serving")]
public sealed record LabscapeServing(
    [property: Id(0)] ServedVersion? Stable,
    [property: Id(1)] ServedVersion? Canary,
    [property: Id(2)] int CanaryBasisPoints,
    [property: Id(3)] string Deployment)
{
    public const string InitialVersion = "initial";

    /// <summary>Every unit on its initial model.</summary>
    public static LabscapeServing Initial { get; } = new(null, null, 0, "");

    public string StableKey => Stable?.Key ?? InitialVersion;

    public bool ServesCanary(long unitId) => Canary is not null && CanaryBucket(unitId) < CanaryBasisPoints;

    /// <summary>The unit's place in 0…9,999 for this deployment (SplitMix64 of the unit and the deployment's FNV-1a hash).</summary>
    public int CanaryBucket(long unitId)
    {
        var salt = 0xCBF29CE484222325UL;
        foreach (var c in Deployment)
        {
            salt = (salt ^ c) * 0x100000001B3UL;
        }

        var z = (ulong)unitId ^ salt;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) % 10_000);
    }
}

/// <summary>Weights a unit learned for itself, starting from <see cref="Version"/> (<c>initial</c> or <c>digits:3</c>).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.own-weights")]
public sealed record OwnWeights(
    [property: Id(0)] string Version,
    [property: Id(1)] ModelShape Shape,
    [property: Id(2)] float[] Parameters);

/// <summary>A unit's outputs and the version (<c>initial</c>, <c>digits:3</c>) that computed them.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.served-output")]
public sealed record ServedOutput([property: Id(0)] float[] Output, [property: Id(1)] string Version);

/// <summary>
/// A unit as it serves now: its persisted state, the version it computes with (its labscape's stable or canary one, or
/// <c>initial</c>), that version's shape, whether it computes with weights of its own there, and those weights.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.unit-view")]
public sealed record UnitView(
    [property: Id(0)] UnitState State,
    [property: Id(1)] string Serving,
    [property: Id(2)] ModelShape Shape,
    [property: Id(3)] bool OwnWeights,
    [property: Id(4)] float[] Parameters);
