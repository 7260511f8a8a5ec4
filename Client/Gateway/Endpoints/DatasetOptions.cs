using System.ComponentModel.DataAnnotations;
using Galaxy.Registry.PersonalData;

namespace Galaxy.Gateway.Endpoints;

/// <summary>Dataset uploads, bound from <c>Galaxy:Datasets</c> and validated at start.</summary>
public sealed class DatasetOptions : IValidatableObject
{
    public const string Section = "Galaxy:Datasets";

    /// <summary>
    /// The largest CSV <c>POST /v1/datasets</c> takes (413 beyond it). Uploads stream, so this bounds the rows parsed
    /// into memory, not a buffer; the gateway's 4 MiB cap on other bodies does not apply to them.
    /// </summary>
    [Range(typeof(long), "1", "1073741824")]
    public long MaxUploadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>What an upload does with columns that look like personal data: <c>Refuse</c> (422), <c>Mask</c> or <c>Allow</c>.</summary>
    public PersonalDataAction PersonalData { get; set; } = PersonalDataAction.Refuse;

    /// <summary>Base64, at least 32 bytes: the key masked labels are pseudonymised with (needed for <c>Mask</c>); keep it secret and stable.</summary>
    public string? PseudonymKey { get; set; }

    public PersonalDataPolicy Policy() =>
        new(PersonalData, PseudonymKey is null ? null : Convert.FromBase64String(PseudonymKey));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var key = new byte[PseudonymKey?.Length ?? 0];
        if (PersonalData == PersonalDataAction.Mask && (PseudonymKey is null || !Convert.TryFromBase64String(PseudonymKey, key, out var length) || length < 32))
        {
            yield return new ValidationResult("PersonalData Mask needs PseudonymKey: base64 of at least 32 bytes.", [nameof(PseudonymKey)]);
        }
    }
}
