namespace Galaxy.Testing.Recovery;

/// <summary>
/// The client's ledger of one unit for the recovery drill: every acknowledged learn with the revision it produced and
/// the wall-clock moment its answer arrived, so that a restore can be judged against the moment it restored to.
/// Learns are sent with <c>If-Match</c>, so a learn whose answer was lost is settled by the next (a 412 names the
/// revision it reached).
/// </summary>
public sealed class AcknowledgedLearns
{
    private readonly List<(long Revision, DateTimeOffset At)> _acknowledged = [];

    /// <summary>The revision the client believes the unit is at.</summary>
    public long Revision { get; private set; }

    public IReadOnlyList<(long Revision, DateTimeOffset At)> Acknowledged => _acknowledged;

    public void Acknowledge(long revision, DateTimeOffset at)
    {
        _acknowledged.Add((revision, at));
        Revision = revision;
    }

    /// <summary>A 412: the unit is at <paramref name="current"/> (a learn whose answer was lost did land).</summary>
    public void Observe(long current) => Revision = current;
}
