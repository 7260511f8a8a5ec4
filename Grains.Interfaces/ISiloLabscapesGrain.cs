namespace Galaxy.Grains;

/// <summary>
/// The labscapes active in one silo, keyed by the silo's address (<c>SiloAddress.ToParsableString()</c>): each one's
/// batching figures, read from its batchers where it runs, with no call to any labscape, so that a reader (the
/// dashboard's heat map, every second) activates none. A labscape that is not active is not listed.
/// </summary>
[Alias("galaxy.ISiloLabscapesGrain")]
public interface ISiloLabscapesGrain : IGrainWithStringKey
{
    /// <summary>The silo's active labscapes' figures since their activation, by labscape id.</summary>
    [Alias("GetMetrics"), AlwaysInterleave]
    Task<Dictionary<int, LabscapeMetrics>> GetMetrics();
}
