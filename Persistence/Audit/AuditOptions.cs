using System.ComponentModel.DataAnnotations;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// Where the audit chain's tamper evidence lives outside the database, bound from <c>Galaxy:Audit</c>: the key that
/// signs checkpoints, the public keys verification trusts, and the witness the checkpoints are written to.
/// </summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Galaxy:Audit";

    /// <summary>PEM file of the ECDSA P-256 private key that signs checkpoints. Unset: checkpoints cannot be written here.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Make <see cref="SigningKeyFile"/> when it does not exist (a local run); never in production, where losing the key must be noticed.</summary>
    public bool CreateSigningKey { get; set; }

    /// <summary>PEM public keys whose checkpoints verify, beside the signing key's own: keys retired by a rotation.</summary>
    public List<string> TrustedKeyFiles { get; set; } = [];

    /// <summary>A folder, outside the database and its backups, that receives every checkpoint as a file; verification reads it.</summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>An HTTPS endpoint that receives every checkpoint as a JSON POST (a transparency log, another site's store).</summary>
    public Uri? WitnessUrl { get; set; }

    /// <summary>Seconds between the gateway's checkpoints (only when the chain has grown); 0 turns them off.</summary>
    [Range(0, 86_400)]
    public int CheckpointIntervalSeconds { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CheckpointIntervalSeconds > 0 && SigningKeyFile is not null && WitnessDirectory is null && WitnessUrl is null)
        {
            yield return new ValidationResult(
                "Checkpoints need a witness outside the database: set WitnessDirectory or WitnessUrl.", [nameof(WitnessDirectory)]);
        }

        if (WitnessUrl is { } url && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            yield return new ValidationResult("WitnessUrl must be https (or loopback).", [nameof(WitnessUrl)]);
        }
    }

    /// <summary>The keys verification trusts: the signing key's public half (when there is one) and <see cref="TrustedKeyFiles"/>.</summary>
    public IReadOnlyDictionary<string, AuditVerificationKey> LoadTrustedKeys()
    {
        var keys = new Dictionary<string, AuditVerificationKey>(StringComparer.Ordinal);
        if (SigningKeyFile is { } signing && (File.Exists(signing) || CreateSigningKey))
        {
            using var key = AuditSigningKey.Load(signing, CreateSigningKey);
            keys[key.Id] = key.VerificationKey();
        }

        foreach (var file in TrustedKeyFiles)
        {
            var key = AuditVerificationKey.FromPem(File.ReadAllText(file));
            keys[key.Id] = key;
        }

        return keys;
    }
}
