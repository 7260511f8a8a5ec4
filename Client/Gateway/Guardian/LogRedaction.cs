using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// What the gateway's logs may not carry in the clear, and what becomes of it (Microsoft.Extensions.Compliance.Redaction):
/// a log parameter marked <see cref="SecretDataAttribute"/> is erased, one marked <see cref="PersonalDataAttribute"/>
/// (an account name, an issuer's subject) is replaced by a keyed pseudonym, so that one person's lines can still be
/// told apart and followed without naming them. Secrets themselves (passwords, tokens, keys) are never passed to a
/// logger at all; the classification is the second line.
/// </summary>
public static class LogRedaction
{
    public const string Taxonomy = "Galaxy";

    public static DataClassification Secret { get; } = new(Taxonomy, "Secret");

    public static DataClassification PersonalData { get; } = new(Taxonomy, "PersonalData");

    /// <summary>
    /// Redaction for every logger of the host: secrets erased, personal data pseudonymised under
    /// <c>Galaxy:Logging:PseudonymKey</c> (base64, ≥ 32 bytes; unset: a key per process, so pseudonyms do not carry over restarts).
    /// </summary>
    public static WebApplicationBuilder AddGalaxyLogRedaction(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Galaxy:Logging:PseudonymKey"];
        var key = configured is null ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(configured);
        if (key.Length < 32)
        {
            throw new InvalidOperationException("Galaxy:Logging:PseudonymKey must be base64 of at least 32 bytes.");
        }

        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(Secret));
            redaction.SetRedactor<PseudonymRedactor>(new DataClassificationSet(PersonalData));
        });
        builder.Services.AddSingleton(new LogPseudonymKey(key));
        return builder;
    }
}

/// <summary>A log parameter that holds a secret: erased from every log line.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecretDataAttribute() : DataClassificationAttribute(LogRedaction.Secret);

/// <summary>A log parameter that names or identifies a person: pseudonymised in every log line.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(LogRedaction.PersonalData);

/// <summary>The key <see cref="PseudonymRedactor"/> makes pseudonyms with.</summary>
public sealed record LogPseudonymKey(byte[] Key);

/// <summary><c>person:</c> and 12 hex digits of HMAC-SHA256 under the host's key: the same person, the same pseudonym.</summary>
public sealed class PseudonymRedactor(LogPseudonymKey key) : Redactor
{
    private const string Prefix = "person:";
    private const int HexDigits = 12;

    public override int GetRedactedLength(ReadOnlySpan<char> input) => Prefix.Length + HexDigits;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(source)];
        Encoding.UTF8.GetBytes(source, bytes);
        var pseudonym = Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, bytes))[..HexDigits];
        pseudonym.AsSpan().CopyTo(destination);
        return pseudonym.Length;
    }
}
