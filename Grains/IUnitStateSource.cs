namespace Galaxy.Grains;

/// <summary>
/// Reads many units' persisted state at once, so a labscape can rebuild its table in one query rather than 4,096.
/// The silo provides it over the same rows the grain storage writes.
/// </summary>
public interface IUnitStateSource
{
    /// <summary>The persisted state of every unit in <c>firstUnitId … firstUnitId+count-1</c> that has been written.</summary>
    Task<IReadOnlyList<UnitState>> ReadRangeAsync(long firstUnitId, int count, CancellationToken cancellationToken);
}
