namespace Galaxy.Grains;

/// <summary>
/// The galaxy's shape: <see cref="Labscapes"/> labscapes of <see cref="UnitsPerLabscape"/> units each, unit ids
/// <c>0 … UnitCount-1</c>, and unit <c>u</c> living in labscape <c>u / UnitsPerLabscape</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.topology")]
public sealed record GalaxyTopology(
    [property: Id(0)] int Labscapes,
    [property: Id(1)] int UnitsPerLabscape,
    [property: Id(2)] ModelShape Architecture)
{
    public long UnitCount => (long)Labscapes * UnitsPerLabscape;

    public bool ContainsUnit(long unitId) => unitId >= 0 && unitId < UnitCount;

    public bool ContainsLabscape(long labscapeId) => labscapeId >= 0 && labscapeId < Labscapes;

    public int LabscapeOf(long unitId) => (int)(unitId / UnitsPerLabscape);

    /// <summary>The unit's row in its labscape's parameter table.</summary>
    public int SlotOf(long unitId) => (int)(unitId % UnitsPerLabscape);
}
