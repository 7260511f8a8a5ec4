namespace Galaxy.Persistence.Audit;

/// <summary>One stored row of <c>galaxy_audit</c>, as read back for verification.</summary>
public sealed record AuditRow(
    long Seq, DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest,
    byte[] PreviousHash, byte[] Hash);
