using System.Globalization;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// What verification found. <see cref="Intact"/> only when every row recomputes, links and matches what the witness
/// saw, nothing witnessed is missing, and the audit functions and triggers are Galaxy's own.
/// </summary>
public sealed record AuditReport(
    long RowsChecked,
    long? BrokenSeq,
    string? Reason,
    AuditCheckpointSummary? BrokenCheckpoint,
    AuditCheckpointSummary? LastCheckpoint,
    long WitnessedThrough,
    long UnwitnessedRows,
    IReadOnlyList<AuditCheckpointSummary> Restores,
    IReadOnlyList<string> Findings)
{
    /// <summary>The chain is whole up to its last row, but witnessed rows after it are gone: a cut, or an unrecorded restore.</summary>
    public bool IsCut { get; init; }

    /// <summary>The archive events, oldest first: rows up to the last one's row are verified in their archive files, not here.</summary>
    public IReadOnlyList<AuditCheckpointSummary> Archives { get; init; } = [];

    public bool Intact => BrokenSeq is null && Findings.Count == 0;
}

/// <summary>A checkpoint as a report names it.</summary>
public sealed record AuditCheckpointSummary(long Id, string Kind, long Seq, DateTimeOffset At, string? Label)
{
    public static AuditCheckpointSummary Of(AuditCheckpoint checkpoint) =>
        new(checkpoint.Id, checkpoint.Kind, checkpoint.Seq, checkpoint.At, checkpoint.Label);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"checkpoint #{Id} ({What} {Seq:N0}, {At:yyyy-MM-dd HH:mm:ss}Z{(Label is null ? "" : ", " + Label)})");

    private string What => Kind switch
    {
        AuditCheckpoint.Kinds.Restore => "restore to row",
        AuditCheckpoint.Kinds.Archive => "archive of rows to",
        _ => "rows to",
    };
}
