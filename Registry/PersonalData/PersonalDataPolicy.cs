using System.Security.Cryptography;
using System.Text;

namespace Galaxy.Registry.PersonalData;

/// <summary>What an upload does with a column that looks like personal data (<see cref="PersonalDataDetector"/>).</summary>
public enum PersonalDataAction
{
    /// <summary>The upload is refused (422 <c>personal-data</c>), naming the column, the kind and the line.</summary>
    Refuse,

    /// <summary>
    /// A feature column is dropped (a masked number would mean nothing to a model); a label column's values are replaced
    /// by a keyed pseudonym (<c>pii-…</c>), the same for the same value under the same key, so classes stay classes.
    /// </summary>
    Mask,

    /// <summary>Nothing is checked: for data whose owner has a legal basis to train on it.</summary>
    Allow,
}

/// <summary>The upload policy for personal data, and the key label pseudonyms are made with.</summary>
public sealed class PersonalDataPolicy(PersonalDataAction action, byte[]? pseudonymKey)
{
    public static PersonalDataPolicy Refuse { get; } = new(PersonalDataAction.Refuse, null);

    public PersonalDataAction Action { get; } = action == PersonalDataAction.Mask && pseudonymKey is not { Length: >= 32 }
        ? throw new ArgumentException("Masking needs a pseudonym key of at least 32 bytes.", nameof(pseudonymKey))
        : action;

    /// <summary><c>pii-</c> and 16 hex digits of HMAC-SHA256 under the policy's key: not reversible without the key.</summary>
    public string Pseudonym(string value) =>
        "pii-" + Convert.ToHexStringLower(HMACSHA256.HashData(pseudonymKey!, Encoding.UTF8.GetBytes(value)))[..16];
}

/// <summary>A column that looked like personal data, and what the upload did with it.</summary>
public sealed record PersonalDataFinding(string Column, string Kind, int Line, string Action);

/// <summary>An upload refused because a column looks like personal data.</summary>
public sealed class PersonalDataException(string column, string kind, int line)
    : Exception($"Column '{column}' looks like personal data ({kind}, line {line}); the dataset policy refuses it.")
{
    public string Column { get; } = column;

    public string Kind { get; } = kind;

    public int Line { get; } = line;
}
