using System.ComponentModel.DataAnnotations;

namespace Galaxy.Registry.Protection;

/// <summary>
/// Encryption at rest, bound from <c>Galaxy:DataProtection</c>: the key-encryption keys (KEKs) that wrap the data keys.
/// Rotation: add the new KEK, make it <see cref="ActiveKeyId"/> (new data keys are wrapped with it, old ones still
/// unwrap), run <c>galaxy-cli data-keys rotate</c> (rewraps every data key), then remove the old KEK. No data is
/// re-encrypted and nothing stops meanwhile. Without any KEK, datasets and weights are stored in plaintext and the
/// processes say so at start.
/// </summary>
public sealed class DataProtectionOptions : IValidatableObject
{
    public const string Section = "Galaxy:DataProtection";

    public List<KeyEncryptionKeyOptions> KeyEncryptionKeys { get; set; } = [];

    /// <summary>The KEK that wraps new data keys; unset: the first of <see cref="KeyEncryptionKeys"/>.</summary>
    public string? ActiveKeyId { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var key in KeyEncryptionKeys)
        {
            if (string.IsNullOrWhiteSpace(key.Id) || (key.Key is null) == (key.KeyFile is null))
            {
                yield return new ValidationResult($"KeyEncryptionKeys: '{key.Id}' needs an Id and exactly one of Key or KeyFile.");
            }
        }

        if (ActiveKeyId is { } active && KeyEncryptionKeys.All(key => key.Id != active))
        {
            yield return new ValidationResult($"ActiveKeyId '{active}' is not one of the KeyEncryptionKeys.", [nameof(ActiveKeyId)]);
        }
    }
}

/// <summary>One AES-256 key-encryption key: 32 bytes, base64, given inline or in a file (mode 600).</summary>
public sealed class KeyEncryptionKeyOptions
{
    public string Id { get; set; } = "";

    public string? Key { get; set; }

    public string? KeyFile { get; set; }
}
