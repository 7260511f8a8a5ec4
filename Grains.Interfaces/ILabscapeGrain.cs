namespace Galaxy.Grains;

/// <summary>One labscape, addressed by its integer id <c>0 … L-1</c>: the scheduler of its units' compute.</summary>
[Alias("galaxy.ILabscapeGrain")]
public interface ILabscapeGrain : IGrainWithIntegerKey
{
    /// <summary>The labscape's persisted state (also what the Orleans dashboard's grain-state view shows).</summary>
    [Alias("GetState")]
    Task<LabscapeState> GetState();
}
