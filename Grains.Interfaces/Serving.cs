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
/// units are canary is a pure function of the labscape's units and the deployment (<see cref="CanarySlots"/>), and a
/// larger share keeps the smaller one's units, so a canary that grows step by step never moves a unit back.
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

    /// <summary>Which of a labscape's <paramref name="units"/> (slots from <paramref name="firstUnitId"/>) the canary serves.</summary>
    public bool[] CanarySlots(long firstUnitId, int units) =>
        Canary is null ? new bool[units] : CanarySlotsOf(Deployment, CanaryBasisPoints, firstUnitId, units);

    /// <summary>
    /// The slots a canary of <paramref name="basisPoints"/> in 10,000 serves: that share of the labscape's units rounded
    /// up, so any share serves at least one unit, taken in the order of the units' buckets for the deployment. Counted
    /// rather than drawn unit by unit: a small labscape's units could all draw stable, and a canary that no request can
    /// reach waits for its analysis forever.
    /// </summary>
    public static bool[] CanarySlotsOf(string deployment, int basisPoints, long firstUnitId, int units)
    {
        var onCanary = new bool[units];
        if (basisPoints <= 0)
        {
            return onCanary;
        }

        // FNV-1a of the deployment salts each unit's bucket, its SplitMix64 in 0…9,999.
        var salt = 0xCBF29CE484222325UL;
        foreach (var c in deployment)
        {
            salt = (salt ^ c) * 0x100000001B3UL;
        }

        // The bucket in the high half and the slot in the low: sorted, by bucket, then by slot.
        var order = new long[units];
        for (var slot = 0; slot < units; slot++)
        {
            order[slot] = ((long)Bucket(salt, firstUnitId + slot) << 32) | (uint)slot;
        }

        Array.Sort(order);
        var count = (int)Math.Min(units, ((long)units * basisPoints + 9_999) / 10_000);
        foreach (var key in order.AsSpan(0, count))
        {
            onCanary[(int)(key & uint.MaxValue)] = true;
        }

        return onCanary;
    }

    private static int Bucket(ulong salt, long unitId)
    {
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
