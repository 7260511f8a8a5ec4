namespace Galaxy.Contracts;

/// <summary>
/// One row of the audit chain: who did what to which path, with what outcome; its hash links it to the row before.
/// <c>TraceId</c> is the W3C trace id of the request the row was written while serving (the <c>@tr</c> of that request's
/// log lines), covered by the hash; null for rows written outside a request or before trace ids were kept.
/// </summary>
public sealed record AuditRecordResponse(
    long Seq, DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest, string Hash, string? TraceId);

/// <summary>A checkpoint as a verification names it.</summary>
public sealed record AuditCheckpointSummaryResponse(long Id, string Kind, long Seq, DateTimeOffset At, string? Label);

/// <summary>
/// What verification found: <c>Intact</c> only when every row recomputes, links and matches what the witness saw,
/// nothing witnessed is missing, and the audit functions and triggers are Galaxy's own.
/// </summary>
public sealed record AuditReportResponse(
    bool Intact, long RowsChecked, long? BrokenSeq, string? Reason, AuditCheckpointSummaryResponse? BrokenCheckpoint,
    AuditCheckpointSummaryResponse? LastCheckpoint, long WitnessedThrough, long UnwitnessedRows, bool IsCut,
    AuditCheckpointSummaryResponse[] Restores, AuditCheckpointSummaryResponse[] Archives, string[] Findings);

/// <summary>A signed checkpoint of the chain: rows <c>FromSeq</c>…<c>Seq</c> ending in <c>HeadHash</c>, as the witness holds it.</summary>
public sealed record AuditCheckpointResponse(
    long Id, string Kind, long FromSeq, long Seq, string HeadHash, long AtMicroseconds, DateTimeOffset At, string Previous, string Fingerprints,
    string? Label, string KeyId, string Signature);
