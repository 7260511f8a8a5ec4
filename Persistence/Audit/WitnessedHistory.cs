namespace Galaxy.Persistence.Audit;

/// <summary>
/// What the checkpoints, taken in order, say the chain holds: for every witnessed row its fingerprint and the checkpoint
/// that witnessed it, and the full head hash at each checkpoint's last row. A restore event forgets what was witnessed
/// after the row it restored to: those rows were rolled back, and the chain goes on from there. An archive event moves
/// the chain's start past the rows it archived, to the hash of the last of them.
/// </summary>
internal sealed class WitnessedHistory
{
    private readonly List<Range> _ranges = [];
    private readonly List<AuditCheckpoint> _restores = [];
    private readonly List<AuditCheckpoint> _archives = [];

    // An archive of every witnessed row leaves no range: the last of them is then the last archived row.
    public long WitnessedThrough => Math.Max(_ranges.Count == 0 ? 0 : _ranges[^1].To, ArchivedThrough);

    public AuditCheckpoint? Last { get; private set; }

    public IReadOnlyList<AuditCheckpoint> Restores => _restores;

    public IReadOnlyList<AuditCheckpoint> Archives => _archives;

    /// <summary>The last archived row (0 when none was): the chain online starts after it.</summary>
    public long ArchivedThrough => _archives.Count == 0 ? 0 : _archives[^1].Seq;

    /// <summary>The hash of row <see cref="ArchivedThrough"/>, which the first row online names as its predecessor.</summary>
    public byte[] ArchivedHeadHash => _archives.Count == 0 ? [] : Convert.FromHexString(_archives[^1].HeadHash);

    /// <summary>Takes a witness's checkpoints from the first, in id order; a sentence in <paramref name="findings"/> for the first that cannot be taken.</summary>
    public static WitnessedHistory From(
        IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyDictionary<string, AuditVerificationKey> keys, List<string> findings) =>
        Read(checkpoints, keys, findings, AuditCheckpoint.Genesis);

    /// <summary>
    /// Takes the consecutive checkpoints an archive carries: they begin mid-chain, so the first is taken on its
    /// signature alone and every later one must follow it.
    /// </summary>
    public static WitnessedHistory FromExcerpt(
        IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyDictionary<string, AuditVerificationKey> keys, List<string> findings) =>
        Read(checkpoints, keys, findings, null);

    private static WitnessedHistory Read(
        IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyDictionary<string, AuditVerificationKey> keys, List<string> findings,
        AuditCheckpoint? previous)
    {
        var history = new WitnessedHistory();
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

            if (previous is not null && (checkpoint.Id != previous.Id + 1 || checkpoint.Previous != previous.Digest()))
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

            var expectedFrom = checkpoint.Kind switch
            {
                AuditCheckpoint.Kinds.Restore => Math.Min(checkpoint.Seq, history.WitnessedThrough) + 1,
                AuditCheckpoint.Kinds.Archive => checkpoint.Seq + 1,
                _ => history.WitnessedThrough + 1,
            };
            if (previous is not null && checkpoint.FromSeq != expectedFrom)
            {
                findings.Add($"{checkpoint} starts at row {checkpoint.FromSeq}, not at row {expectedFrom} where the witness left off");
                break;
            }

            if (checkpoint.Kind == AuditCheckpoint.Kinds.Archive && history.ArchiveProblem(checkpoint) is { } problem)
            {
                findings.Add(problem);
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

    /// <summary>Why an archive event cannot be taken: it must archive forward, witnessed rows only, ending at the row the witness saw.</summary>
    private string? ArchiveProblem(AuditCheckpoint archive)
    {
        if (archive.Seq <= ArchivedThrough || archive.Seq > WitnessedThrough)
        {
            return $"{archive} archives rows that are not between the last archived row ({ArchivedThrough:N0}) and the last witnessed one ({WitnessedThrough:N0})";
        }

        if (Witnessed(archive.Seq) is not { } seen)
        {
            return null; // only in an archive's excerpt: a row before it, in an earlier archive
        }

        var archivedHash = Convert.FromHexString(archive.HeadHash);
        return archivedHash.Length == System.Security.Cryptography.SHA256.HashSizeInBytes
            && archivedHash.AsSpan(0, AuditRowHash.FingerprintBytes).SequenceEqual(seen.Fingerprint.Span)
            && (seen.HeadHash is null || seen.HeadHash.AsSpan().SequenceEqual(archivedHash))
            ? null
            : $"{archive} names a hash for row {archive.Seq:N0} that is not the one the witness saw";
    }

    private void Take(AuditCheckpoint checkpoint, byte[] fingerprints)
    {
        if (checkpoint.Kind == AuditCheckpoint.Kinds.Archive)
        {
            // The archived rows are verified in their archive; what witnessed them is not needed here any more.
            _archives.Add(checkpoint);
            _ranges.RemoveAll(range => range.To <= checkpoint.Seq);
            Last = checkpoint;
            return;
        }

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
