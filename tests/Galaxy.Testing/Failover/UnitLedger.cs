namespace Galaxy.Testing.Failover;

/// <summary>
/// The client's own record of one unit: the revision it believes the unit is at, how many learns landed, and the
/// highest revision the cluster acknowledged. Every learn is sent with <c>If-Match</c> set to <see cref="Revision"/>,
/// so a learn whose answer was lost is settled by the next attempt: applied now, or a 412 saying it already was.
/// </summary>
public sealed class UnitLedger
{
    public long Revision { get; private set; }

    /// <summary>Learns known to have been applied: acknowledged, or acknowledged late by a 412.</summary>
    public long Learns { get; private set; }

    public long Acknowledged { get; private set; }

    public long AcknowledgedRevision { get; private set; }

    /// <summary>Acknowledged revisions the unit no longer had when the client next looked.</summary>
    public long Lost { get; private set; }

    /// <summary>Answers that no sequence of this client's own learns explains (a revision that jumped ahead).</summary>
    public long Anomalies { get; private set; }

    public void Acknowledge(long revision)
    {
        if (revision != Revision + 1)
        {
            Anomalies++;
        }

        Revision = revision;
        Learns++;
        Acknowledged++;
        AcknowledgedRevision = revision;
    }

    /// <summary>
    /// The unit is at <paramref name="current"/> (a 412's revision, or its state read back). One past
    /// <see cref="Revision"/>: a learn whose answer was lost did land. Behind it: persisted learns were lost, and
    /// those that were acknowledged count in <see cref="Lost"/>. Further ahead: an <see cref="Anomalies">anomaly</see>.
    /// </summary>
    public void Observe(long current)
    {
        if (current == Revision + 1)
        {
            Learns++;
        }
        else if (current < Revision)
        {
            Lost += Math.Max(0, AcknowledgedRevision - current);
            Learns -= Revision - current;
            AcknowledgedRevision = Math.Min(AcknowledgedRevision, current);
        }
        else if (current != Revision)
        {
            Anomalies++;
        }

        Revision = current;
    }
}
