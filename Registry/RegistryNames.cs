using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Galaxy.Registry;

/// <summary>
/// The names the registry accepts, which also make readable URLs: models and datasets
/// <c>^[a-z0-9][a-z0-9._-]{0,62}$</c>, aliases <c>^[a-z][a-z0-9_-]{0,31}$</c> except <see cref="Latest"/>.
/// </summary>
public static partial class RegistryNames
{
    /// <summary>Not an alias anyone can set: it always means the model's highest version number.</summary>
    public const string Latest = "latest";

    public static bool IsName([NotNullWhen(true)] string? name) => name is not null && NamePattern().IsMatch(name);

    public static bool IsAlias([NotNullWhen(true)] string? alias) => alias is not null && alias != Latest && AliasPattern().IsMatch(alias);

    internal static void EnsureName(string? name, string field)
    {
        if (!IsName(name))
        {
            throw new InvalidRegistryInputException(field,
                $"'{field}' must be 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.");
        }
    }

    internal static void EnsureAlias(string? alias)
    {
        if (alias == Latest)
        {
            throw new InvalidRegistryInputException("alias", "'latest' is reserved: it always means the highest version.");
        }

        if (!IsAlias(alias))
        {
            throw new InvalidRegistryInputException("alias", "An alias is 1 to 32 characters of a-z, 0-9, '_' and '-', starting with a letter.");
        }
    }

    // \z, not $: in .NET, $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();
}
