namespace Galaxy.Persistence.Tests;

/// <summary>Grain ids of every key shape Orleans has, for the tests' grains.</summary>
internal static class TestGrains
{
    private static readonly GrainType Unit = GrainType.Create("unit");

    /// <summary>An integer-keyed grain, like an AI unit.</summary>
    public static GrainId Integer(long key) => GrainId.Create(Unit, GrainIdKeyExtensions.CreateIntegerKey(key));

    /// <summary>Each shape once: integer, integer with extension, Guid, Guid with extension, and string keys.</summary>
    public static TheoryData<string> Shapes => ["integer", "integer+extension", "guid", "guid+extension", "string"];

    /// <summary>A grain of the named shape; <paramref name="seed"/> makes distinct grains of one shape.</summary>
    public static GrainId OfShape(string shape, int seed)
    {
        var guid = new Guid(seed, 0x1d2c, 0x4b3a, 1, 2, 3, 4, 5, 6, 7, 8);
        return shape switch
        {
            "integer" => Integer(seed),
            "integer+extension" => GrainId.Create(Unit, GrainIdKeyExtensions.CreateIntegerKey(seed, "ext")),
            "guid" => GrainId.Create(Unit, GrainIdKeyExtensions.CreateGuidKey(guid)),
            "guid+extension" => GrainId.Create(Unit, GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            "string" => GrainId.Create(Unit, $"user-{seed}"),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
        };
    }

    /// <summary>A state name no other test uses, so tests sharing a database never meet.</summary>
    public static string FreshStateName() => $"test-{Guid.NewGuid():N}";
}
