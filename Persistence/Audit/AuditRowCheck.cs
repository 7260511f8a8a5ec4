namespace Galaxy.Persistence.Audit;

/// <summary>
/// One row held to what comes before it and to what the witness saw of it: its sequence number, its recomputed hash, its
/// link to the previous row, and its signed fingerprint. The live chain's verification and an archive's use the same.
/// </summary>
internal static class AuditRowCheck
{
    /// <summary>The first thing wrong with <paramref name="row"/>, or null.</summary>
    public static (long Seq, string Reason, AuditCheckpoint? Checkpoint)? Check(
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
