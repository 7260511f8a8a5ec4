using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// A row's hash as the application computes it, byte for byte what <c>galaxy_audit_hash</c> (schema 0006) computes:
/// <c>sha256(prev_hash ‖ utf8(json_build_array(seq, µs since the epoch, principal, action, target, outcome, digest)::text))</c>,
/// with the trace id as an eighth element when the row has one (schema 0027).
/// Verification recomputes every hash here, so a replaced database function cannot vouch for a rewritten row.
/// </summary>
public static class AuditRowHash
{
    /// <summary>Fingerprint bytes per row that a checkpoint keeps: enough to locate the first rewritten row.</summary>
    public const int FingerprintBytes = 8;

    public static byte[] Compute(ReadOnlySpan<byte> previousHash, AuditRow row)
    {
        var json = new StringBuilder(128).Append('[')
            .Append(row.Seq.ToString(CultureInfo.InvariantCulture)).Append(", ")
            .Append(UnixMicroseconds(row.At).ToString(CultureInfo.InvariantCulture)).Append(", ");
        AppendString(json, row.Principal).Append(", ");
        AppendString(json, row.Action).Append(", ");
        AppendString(json, row.Target).Append(", ");
        json.Append(row.Outcome.ToString(CultureInfo.InvariantCulture)).Append(", ");
        AppendString(json, row.RequestDigest);
        if (row.TraceId is { } traceId)
        {
            AppendString(json.Append(", "), traceId);
        }

        json.Append(']');

        var text = Encoding.UTF8.GetBytes(json.ToString());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previousHash);
        hash.AppendData(text);
        return hash.GetHashAndReset();
    }

    /// <summary>Microseconds since the Unix epoch: the database keeps timestamps to the microsecond.</summary>
    public static long UnixMicroseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>PostgreSQL's <c>escape_json</c>: quotes, backslashes and control characters escaped, everything else as is.</summary>
    private static StringBuilder AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        return json.Append('"');
    }
}
