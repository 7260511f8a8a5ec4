namespace Galaxy.Persistence.Audit;

/// <summary>
/// What the checkpoints, taken in order, say the chain holds: for every witnessed row its fingerprint and the checkpoint
/// that witnessed it, and the full head hash at each checkpoint's last row. A restore event forgets what was witnessed
/// after the row it restored to: those rows were rolled back, and the chain goes on from there.
/// </summary>
internal sealed class WitnessedHistory
{
    private readonly List<Range> _ranges = [];
    private readonly List<AuditCheckpoint> _restores = [];

    public long WitnessedThrough => _ranges.Count == 0 ? 0 : _ranges[^1].To;

    public AuditCheckpoint? Last { get; private set; }

    public IReadOnlyList<AuditCheckpoint> Restores => _restores;

    /// <summary>Takes checkpoints in id order; returns a sentence for each that cannot be taken (bad signature, gap, inconsistent).</summary>
    public static WitnessedHistory From(
        IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyDictionary<string, AuditVerificationKey> keys, List<string> findings)
    {
        var history = new WitnessedHistory();
        var previous = AuditCheckpoint.Genesis;
        foreach (var checkpoint in checkpoints)
        {
            if (!keys.TryGetValue(checkpoint.KeyId, out var key))
            {
                findings.Add($"{checkpoint} is signed by key {checkpoint.KeyId}, which is not trusted here (Galaxy:Audit:TrustedKeyFiles)");
                break;
            }

            if (!key.Verifies(checkpoint.SignedBytes(), checkpoint.Signature))
            {
                findings.Add($"{checkpoint} has an invalid signature: it was altered or forged");
                break;
            }

            if (checkpoint.Id != previous.Id + 1 || checkpoint.Previous != previous.Digest())
            {
                findings.Add(checkpoint.Id != previous.Id + 1
                    ? $"checkpoint #{previous.Id + 1} is missing from the witness (the next one is #{checkpoint.Id})"
                    : $"{checkpoint} does not follow checkpoint #{previous.Id}");
                break;
            }

            var fingerprints = checkpoint.FingerprintBytes();
            var rows = checkpoint.Seq - checkpoint.FromSeq + 1;
            if (rows < 0 || fingerprints.Length != rows * AuditRowHash.FingerprintBytes)
            {
                findings.Add($"{checkpoint} is inconsistent: {fingerprints.Length / AuditRowHash.FingerprintBytes} fingerprints for {rows} rows");
                break;
            }

            var expectedFrom = (checkpoint.Kind == AuditCheckpoint.Kinds.Restore
                ? Math.Min(checkpoint.Seq, history.WitnessedThrough) : history.WitnessedThrough) + 1;
            if (checkpoint.FromSeq != expectedFrom)
            {
                findings.Add($"{checkpoint} starts at row {checkpoint.FromSeq}, not at row {expectedFrom} where the witness left off");
                break;
            }

            history.Take(checkpoint, fingerprints);
            previous = checkpoint;
        }

        return history;
    }

    /// <summary>The checkpoint that witnessed row <paramref name="seq"/> and the fingerprint it saw; null when none did.</summary>
    public (AuditCheckpoint Checkpoint, ReadOnlyMemory<byte> Fingerprint, byte[]? HeadHash)? Witnessed(long seq)
    {
        // Ranges are contiguous from row 1 and sorted, so a binary search finds the row's range.
        int low = 0, high = _ranges.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var range = _ranges[middle];
            if (seq < range.From)
            {
                high = middle - 1;
            }
            else if (seq > range.To)
            {
                low = middle + 1;
            }
            else
            {
                var offset = (int)((seq - range.From) * AuditRowHash.FingerprintBytes);
                var head = seq == range.To ? range.HeadHash : null;
                return (range.Checkpoint, range.Fingerprints.AsMemory(offset, AuditRowHash.FingerprintBytes), head);
            }
        }

        return null;
    }

    public AuditCheckpoint? WitnessOfLastRow() => _ranges.Count == 0 ? null : _ranges[^1].Checkpoint;

    private void Take(AuditCheckpoint checkpoint, byte[] fingerprints)
    {
        if (checkpoint.Kind == AuditCheckpoint.Kinds.Restore)
        {
            _restores.Add(checkpoint);
            _ranges.RemoveAll(range => range.From > checkpoint.Seq);
            if (_ranges.Count > 0 && _ranges[^1].To > checkpoint.Seq)
            {
                var cut = _ranges[^1];
                var kept = (int)((checkpoint.Seq - cut.From + 1) * AuditRowHash.FingerprintBytes);
                _ranges[^1] = cut with { To = checkpoint.Seq, Fingerprints = cut.Fingerprints[..kept], HeadHash = Convert.FromHexString(checkpoint.HeadHash) };
            }
        }

        if (checkpoint.Seq >= checkpoint.FromSeq)
        {
            _ranges.Add(new Range(checkpoint.FromSeq, checkpoint.Seq, fingerprints, Convert.FromHexString(checkpoint.HeadHash), checkpoint));
        }

        Last = checkpoint;
    }

    private sealed record Range(long From, long To, byte[] Fingerprints, byte[] HeadHash, AuditCheckpoint Checkpoint);
}
