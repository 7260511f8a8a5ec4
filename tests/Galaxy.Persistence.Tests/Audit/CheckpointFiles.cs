using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>Checkpoints as the tests need them: signed or not, of each kind, at a fixed moment.</summary>
internal static class CheckpointFiles
{
    public static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A checkpoint of rows <paramref name="fromSeq"/> to <paramref name="seq"/>, unsigned: for what reads it, not what verifies it.</summary>
    public static AuditCheckpoint Unsigned(long id, string kind, long fromSeq, long seq, string? label = null) => new(
        id, kind, fromSeq, seq, Convert.ToHexStringLower(new byte[32]), AuditRowHash.UnixMicroseconds(At), "",
        Convert.ToBase64String(new byte[Math.Max(0, seq - fromSeq + 1) * AuditRowHash.FingerprintBytes]), label, "0123456789abcdef", "");
}
