using Galaxy.Contracts;
using Galaxy.Persistence.Audit;

namespace Galaxy.Gateway.Audit;

/// <summary>From the audit chain's rows, reports and checkpoints to what <c>/v1/audit</c> answers.</summary>
internal static class AuditMapping
{
    public static AuditRecordResponse ToResponse(this AuditRecord record) =>
        new(record.Seq, record.At, record.Principal, record.Action, record.Target, record.Outcome, record.RequestDigest, record.Hash, record.TraceId);

    public static AuditReportResponse ToResponse(this AuditReport report) => new(
        report.Intact, report.RowsChecked, report.BrokenSeq, report.Reason, report.BrokenCheckpoint?.ToResponse(), report.LastCheckpoint?.ToResponse(),
        report.WitnessedThrough, report.UnwitnessedRows, report.IsCut, report.Restores.Select(ToResponse).ToArray(),
        report.Archives.Select(ToResponse).ToArray(), [.. report.Findings]);

    public static AuditCheckpointResponse ToResponse(this AuditCheckpoint checkpoint) => new(
        checkpoint.Id, checkpoint.Kind, checkpoint.FromSeq, checkpoint.Seq, checkpoint.HeadHash, checkpoint.AtMicroseconds, checkpoint.At,
        checkpoint.Previous, checkpoint.Fingerprints, checkpoint.Label, checkpoint.KeyId, checkpoint.Signature);

    private static AuditCheckpointSummaryResponse ToResponse(this AuditCheckpointSummary summary) =>
        new(summary.Id, summary.Kind, summary.Seq, summary.At, summary.Label);
}
