namespace Galaxy.Grains;

/// <summary>The galaxy-wide entry point (key 0): what clients ask before they address units, and the tick.</summary>
[Alias("galaxy.IGalaxyGrain")]
public interface IGalaxyGrain : IGrainWithIntegerKey
{
    [Alias("GetTopology")]
    Task<GalaxyTopology> GetTopology();

    /// <summary>
    /// One forward pass for every unit of every labscape whose model takes the input's width, all on that input, the
    /// labscapes in parallel.
    /// </summary>
    [Alias("Tick")]
    Task<GalaxyTickSummary> Tick([Immutable] float[] input);
}

/// <summary>
/// What a galaxy tick did: units computed, wall time, the labscapes' kernel time (sum and slowest), and units skipped
/// because the model they serve takes another input width.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.galaxy-tick-summary")]
public sealed record GalaxyTickSummary(
    [property: Id(0)] long Units,
    [property: Id(1)] int Labscapes,
    [property: Id(2)] double WallMilliseconds,
    [property: Id(3)] double KernelMillisecondsTotal,
    [property: Id(4)] double KernelMillisecondsMax,
    [property: Id(5)] double OutputSum)
{
    [Id(6)] public long Skipped { get; init; }
}
