namespace Galaxy.Grains;

/// <summary>One AI unit, addressed by its integer id <c>0 … L·U-1</c>.</summary>
[Alias("galaxy.IAiUnitGrain")]
public interface IAiUnitGrain : IGrainWithIntegerKey
{
    /// <summary>The unit's persisted state (also what the Orleans dashboard's grain-state view shows).</summary>
    [Alias("GetState")]
    Task<UnitState> GetState();
}
