using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// Verifies the audit chain in the application, trusting nothing the database says about itself: every row's hash is
/// recomputed (<see cref="AuditRowHash"/>), every link and sequence number checked, every witnessed row compared with the
/// fingerprint its signed checkpoint holds, and the audit functions and triggers compared with Galaxy's own. A rewrite
/// that recomputed every later hash (as an attacker with the database can) is found at the first row it changed, by the
/// checkpoint that witnessed that row; rows newer than the last checkpoint are reported as not yet witnessed.
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

        long checkedRows = 0, expectedSeq = 1;
        byte[] previousHash = [];
        (long Seq, string Reason, AuditCheckpoint? Checkpoint)? broken = null;
        var cut = false;
        await foreach (var row in AuditRows.ReadAfterAsync(connection, 0, cancellationToken))
        {
            var witnessed = history.Witnessed(row.Seq);
            broken = Check(row, expectedSeq, previousHash, witnessed);
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
        };
    }

    /// <summary>The first thing wrong with <paramref name="row"/>, or null.</summary>
    private static (long, string, AuditCheckpoint?)? Check(
        AuditRow row, long expectedSeq, byte[] previousHash,
        (AuditCheckpoint Checkpoint, ReadOnlyMemory<byte> Fingerprint, byte[]? HeadHash)? witnessed)
    {
        var checkpoint = witnessed?.Checkpoint;
        if (row.Seq != expectedSeq)
        {
            return (expectedSeq, $"row {expectedSeq:N0} is missing (the next row is {row.Seq:N0})", checkpoint);
        }

        if (!row.Hash.AsSpan().SequenceEqual(AuditRowHash.Compute(row.PreviousHash, row)))
        {
            return (row.Seq, $"row {row.Seq:N0} was altered: its content does not match its hash", checkpoint);
        }

        if (!row.PreviousHash.AsSpan().SequenceEqual(previousHash))
        {
            return (row.Seq, $"row {row.Seq:N0} does not link to row {row.Seq - 1:N0}", checkpoint);
        }

        if (witnessed is { } seen && (!row.Hash.AsSpan(0, AuditRowHash.FingerprintBytes).SequenceEqual(seen.Fingerprint.Span)
            || seen.HeadHash is { } head && !row.Hash.AsSpan().SequenceEqual(head)))
        {
            return (row.Seq, $"row {row.Seq:N0} is not the row {seen.Checkpoint} witnessed: the chain was rewritten from here on", seen.Checkpoint);
        }

        return null;
    }
}
