using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>
/// An audit chain made by hand, as the database and the checkpoint writer would make it: linked rows, checkpoints
/// signed with a key of its own, and archive files of them. For the verification of archives, tampered with or not.
/// </summary>
internal sealed class SignedChain : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("galaxy-signed-chain-").FullName;

    public SignedChain()
    {
        Key = AuditSigningKey.Load(Path.Combine(_folder, "signing.pem"), create: true);
        Rows = [];
        var previous = Array.Empty<byte>();
        for (var seq = 1; seq <= 6; seq++)
        {
            var row = Row(seq, previous);
            Rows.Add(row);
            previous = row.Hash;
        }
    }

    public AuditSigningKey Key { get; }

    public IReadOnlyDictionary<string, AuditVerificationKey> Trusted => new Dictionary<string, AuditVerificationKey> { [Key.Id] = Key.VerificationKey() };

    /// <summary>Rows 1 to 6, each linked to the one before.</summary>
    public List<AuditRow> Rows { get; }

    public static AuditRow Row(long seq, byte[] previousHash, string principal = "alice")
    {
        var row = new AuditRow(seq, CheckpointFiles.At.AddSeconds(seq), principal, "learn", $"units/{seq}", 200, $"sha256:{seq}", previousHash, []);
        return row with { Hash = AuditRowHash.Compute(previousHash, row) };
    }

    /// <summary>A signed checkpoint of rows <paramref name="fromSeq"/> to <paramref name="seq"/>, following <paramref name="previous"/>.</summary>
    public AuditCheckpoint Checkpoint(long id, long fromSeq, long seq, AuditCheckpoint? previous = null, string kind = AuditCheckpoint.Kinds.Checkpoint, int? fingerprintRows = null)
    {
        var witnessed = Rows.Where(row => row.Seq >= fromSeq && row.Seq <= seq).Take(fingerprintRows ?? int.MaxValue);
        var fingerprints = witnessed.SelectMany(row => row.Hash.Take(AuditRowHash.FingerprintBytes)).ToArray();
        var head = seq == 0 ? "" : Convert.ToHexStringLower(Rows[(int)seq - 1].Hash);
        var unsigned = new AuditCheckpoint(
            id, kind, fromSeq, seq, head, AuditRowHash.UnixMicroseconds(CheckpointFiles.At), previous?.Digest() ?? "",
            Convert.ToBase64String(fingerprints), null, Key.Id, "");
        return unsigned with { Signature = Key.Sign(unsigned.SignedBytes()) };
    }

    /// <summary>An archive file of <paramref name="rows"/>, its header claiming rows <paramref name="fromSeq"/> to <paramref name="toSeq"/>.</summary>
    public async Task<string> ArchiveAsync(long fromSeq, long toSeq, IReadOnlyList<AuditCheckpoint> checkpoints, IEnumerable<AuditRow> rows)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.jsonl.gz");
        var previousHash = fromSeq == 1 ? "" : Convert.ToHexStringLower(Rows[(int)fromSeq - 2].Hash);
        var header = new AuditArchive(AuditArchive.CurrentFormat, "galaxy_audit_2026_11", "2026-11", fromSeq, toSeq, previousHash, checkpoints.Count);
        await header.WriteAsync(path, checkpoints, Stream(rows), CancellationToken.None);
        return path;
    }

    public void Dispose()
    {
        Key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async IAsyncEnumerable<AuditRow> Stream(IEnumerable<AuditRow> rows)
    {
        await Task.Yield();
        foreach (var row in rows)
        {
            yield return row;
        }
    }
}
