namespace Galaxy.Persistence.Audit;

/// <summary>
/// Verifies an archive file on its own, years after its partition was dropped, with nothing but the public keys that
/// signed its checkpoints: every row's hash recomputed, every link checked (the first to the hash the archive names for
/// the row before it), every row held to the fingerprint a checkpoint it carries signed for it, and the rows counted
/// against the range its header claims. The first broken row is named, with the checkpoint it broke.
/// </summary>
public static class AuditArchiveVerifier
{
    /// <exception cref="InvalidDataException">The file is not an audit archive.</exception>
    public static async Task<AuditReport> VerifyAsync(
        string path, IReadOnlyDictionary<string, AuditVerificationKey> trustedKeys, CancellationToken cancellationToken)
    {
        using var archive = await AuditArchive.OpenAsync(path, cancellationToken);
        var header = archive.Header;
        var findings = new List<string>();
        var history = WitnessedHistory.FromExcerpt(archive.Checkpoints, trustedKeys, findings);

        long checkedRows = 0, expectedSeq = header.FromSeq;
        var previousHash = Convert.FromHexString(header.PreviousHash);
        (long Seq, string Reason, AuditCheckpoint? Checkpoint)? broken = null;
        await foreach (var row in archive.ReadRowsAsync(cancellationToken))
        {
            var witnessed = history.Witnessed(row.Seq);
            broken = AuditRowCheck.Check(row, expectedSeq, previousHash, witnessed)
                ?? (witnessed is null ? (row.Seq, $"row {row.Seq:N0} is not witnessed by any checkpoint the archive carries", null) : null);
            if (broken is not null)
            {
                break;
            }

            checkedRows++;
            expectedSeq = row.Seq + 1;
            previousHash = row.Hash;
        }

        var lastSeq = expectedSeq - 1;
        if (broken is null && lastSeq != header.ToSeq)
        {
            broken = (lastSeq + 1, $"the archive ends at row {lastSeq:N0} but its header says row {header.ToSeq:N0}", null);
        }

        return new AuditReport(
            checkedRows, broken?.Seq, broken?.Reason, broken?.Checkpoint is { } at ? AuditCheckpointSummary.Of(at) : null,
            history.Last is { } last ? AuditCheckpointSummary.Of(last) : null,
            Math.Min(history.WitnessedThrough, lastSeq), 0, history.Restores.Select(AuditCheckpointSummary.Of).ToList(), findings);
    }
}
