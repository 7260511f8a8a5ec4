using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// Verifies the audit chain in the application, trusting nothing the database says about itself: every row's hash is
/// recomputed (<see cref="AuditRowHash"/>), every link and sequence number checked, every witnessed row compared with the
/// fingerprint its signed checkpoint holds, and the audit functions and triggers compared with Galaxy's own. A rewrite
/// that recomputed every later hash (as an attacker with the database can) is found at the first row it changed, by the
/// checkpoint that witnessed that row; rows newer than the last checkpoint are reported as not yet witnessed. After an
/// archive (<see cref="AuditArchiver"/>), the chain online starts at the row after the last archived one and must link
/// to the hash its signed archive event names; the archived rows are verified in their archive files.
/// </summary>
public sealed class AuditVerifier(NpgsqlDataSource database, IReadOnlyDictionary<string, AuditVerificationKey> trustedKeys)
{
    /// <param name="checkpoints">The witness's checkpoints in id order (the database's copies where no witness folder is configured).</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public async Task<AuditReport> VerifyAsync(IReadOnlyList<AuditCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        var findings = new List<string>();
        var history = WitnessedHistory.From(checkpoints, trustedKeys, findings);

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One snapshot for rows and head: appends that commit meanwhile are not half seen.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        findings.AddRange(await AuditFunctions.FindChangesAsync(connection, cancellationToken));

        long checkedRows = 0, expectedSeq = history.ArchivedThrough + 1;
        var previousHash = history.ArchivedHeadHash;
        (long Seq, string Reason, AuditCheckpoint? Checkpoint)? broken = null;
        var cut = false;
        await foreach (var row in AuditRows.ReadAfterAsync(connection, history.ArchivedThrough, cancellationToken))
        {
            broken = AuditRowCheck.Check(row, expectedSeq, previousHash, history.Witnessed(row.Seq));
            if (broken is not null)
            {
                break;
            }

            checkedRows++;
            expectedSeq = row.Seq + 1;
            previousHash = row.Hash;
        }

        var lastSeq = expectedSeq - 1;
        if (broken is null && lastSeq < history.WitnessedThrough)
        {
            var witness = history.Witnessed(lastSeq + 1)!.Value.Checkpoint;
            broken = (lastSeq + 1, $"rows {lastSeq + 1:N0} to {history.WitnessedThrough:N0} are gone: {witness} witnessed them. " +
                "If the database was restored from a backup, record the restore (galaxy-cli audit record-restore)", witness);
            cut = true;
        }

        if (broken is null)
        {
            var head = await AuditRows.ReadHeadAsync(connection, cancellationToken);
            if (head.Seq != lastSeq || !head.Hash.AsSpan().SequenceEqual(previousHash))
            {
                broken = (lastSeq + 1, $"the chain ends at row {lastSeq:N0} but galaxy_audit_head says row {head.Seq:N0}: rows were cut from the end", null);
            }
        }

        return new AuditReport(
            checkedRows, broken?.Seq, broken?.Reason, broken?.Checkpoint is { } at ? AuditCheckpointSummary.Of(at) : null,
            history.Last is { } last ? AuditCheckpointSummary.Of(last) : null,
            Math.Min(history.WitnessedThrough, lastSeq), Math.Max(0, lastSeq - history.WitnessedThrough),
            history.Restores.Select(AuditCheckpointSummary.Of).ToList(), findings)
        {
            IsCut = cut,
            Archives = history.Archives.Select(AuditCheckpointSummary.Of).ToList(),
        };
    }
}
