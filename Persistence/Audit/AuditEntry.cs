namespace Galaxy.Persistence.Audit;

/// <summary>
/// One row for the audit chain: who did what to which target, with what outcome, when, and a SHA-256 (hex) of what
/// they sent. The gateway's rows carry an HTTP status as outcome; rows the control plane writes for a change it made
/// carry <see cref="ChangeMade"/>.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest)
{
    /// <summary>The outcome of a row written for a change in the same transaction as the change: it happened.</summary>
    public const int ChangeMade = 0;
}
