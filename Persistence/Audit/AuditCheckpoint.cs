using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// A signed statement about the audit chain, Trillian's signed tree head for a hash chain: "rows <see cref="FromSeq"/> …
/// <see cref="Seq"/> existed with these fingerprints, ending in <see cref="HeadHash"/>, at <see cref="AtMicroseconds"/>".
/// Checkpoints form a chain of their own (<see cref="Previous"/> is the digest of the one before, <see cref="Id"/> counts
/// them), so a checkpoint removed from the witness is noticed as well. A <see cref="Kinds.Restore"/> checkpoint records that
/// the database was restored to row <see cref="Seq"/>: witnessed rows after it were lost to the restore, not cut. An
/// <see cref="Kinds.Archive"/> checkpoint records that rows up to <see cref="Seq"/>, whose last hash was
/// <see cref="HeadHash"/>, were written to the archive its <see cref="Label"/> names and dropped: the chain online starts
/// after them. Neither witnesses rows of its own beyond what the chain held.
/// </summary>
public sealed record AuditCheckpoint(
    long Id, string Kind, long FromSeq, long Seq, string HeadHash, long AtMicroseconds, string Previous, string Fingerprints,
    string? Label, string KeyId, string Signature)
{
    public static class Kinds
    {
        public const string Checkpoint = "checkpoint";
        public const string Restore = "restore";
        public const string Archive = "archive";
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Before the first checkpoint: nothing witnessed, row 0, the empty hash.</summary>
    public static AuditCheckpoint Genesis { get; } = new(0, Kinds.Checkpoint, 1, 0, "", 0, "", "", null, "", "");

    public DateTimeOffset At => DateTimeOffset.UnixEpoch.AddTicks(AtMicroseconds * 10);

    /// <summary>The fingerprint (first bytes of the hash) of every row from <see cref="FromSeq"/> to <see cref="Seq"/>.</summary>
    public byte[] FingerprintBytes() => Convert.FromBase64String(Fingerprints);

    /// <summary>
    /// The bytes the signature covers: every field but the signature, one per line, in a fixed order, the label
    /// JSON-quoted (so it cannot forge a line), the fingerprints by their SHA-256.
    /// </summary>
    public byte[] SignedBytes() => Encoding.UTF8.GetBytes(string.Join('\n',
        "galaxy-audit-checkpoint/1",
        $"id={Id.ToString(CultureInfo.InvariantCulture)}",
        $"kind={Kind}",
        $"from={FromSeq.ToString(CultureInfo.InvariantCulture)}",
        $"seq={Seq.ToString(CultureInfo.InvariantCulture)}",
        $"head={HeadHash}",
        $"at={AtMicroseconds.ToString(CultureInfo.InvariantCulture)}",
        $"previous={Previous}",
        $"fingerprints={Convert.ToHexStringLower(SHA256.HashData(FingerprintBytes()))}",
        $"label={JsonSerializer.Serialize(Label)}",
        $"key={KeyId}"));

    /// <summary>What the next checkpoint names as <see cref="Previous"/>: the digest of this one's signed bytes.</summary>
    public string Digest() => Id == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(SignedBytes()));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AuditCheckpoint FromJson(string json) =>
        JsonSerializer.Deserialize<AuditCheckpoint>(json, Json) ?? throw new FormatException("Not an audit checkpoint.");

    /// <summary>What a person reads: <c>checkpoint #12 (rows to 4,096, 2026-12-01 10:00:00Z)</c>.</summary>
    public override string ToString() =>
        AuditCheckpointSummary.Of(this).ToString();
}
