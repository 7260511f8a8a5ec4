namespace Galaxy.Persistence.Audit;

/// <summary>
/// One stored row of <c>galaxy_audit</c>, as read back for verification. <see cref="TraceId"/> is null for rows written
/// outside a request and for every row written before schema 0027 (and in archives made before it).
/// </summary>
public sealed record AuditRow(
    long Seq, DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest,
    byte[] PreviousHash, byte[] Hash, string? TraceId = null);
