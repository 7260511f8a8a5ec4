using System.ComponentModel.DataAnnotations;

namespace Galaxy.Gateway.Guardian;

/// <summary>Guardian's settings, bound from <c>Galaxy:Guardian</c> and validated at start.</summary>
public sealed class GuardianOptions
{
    public const string Section = "Galaxy:Guardian";

    [Required]
    public string Issuer { get; set; } = "galaxy-gateway";

    [Required]
    public string Audience { get; set; } = "galaxy-api";

    /// <summary>
    /// The HS256 key that signs access tokens, base64, at least 32 bytes; every gateway of a cluster needs the same one.
    /// Unset: read from (or created in) <see cref="LocalStateDirectory"/>, else a fresh key per process.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The key ring, for rotation (<see cref="Guardian.SigningKeys"/>): each key with an id, the time it starts signing and
    /// the time it was retired. When set, <see cref="SigningKey"/> is not used.
    /// </summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>An external OpenID Connect issuer whose access tokens the gateway accepts beside its own.</summary>
    public OidcOptions? Oidc { get; set; }

    /// <summary>Where a local run keeps what the gateway generates: the signing key and the bootstrap accounts (<c>.galaxy/</c>).</summary>
    public string? LocalStateDirectory { get; set; }

    [Range(60, 86_400)]
    public int AccessTokenSeconds { get; set; } = 3_600;

    [Range(60, 2_592_000)]
    public int RefreshTokenSeconds { get; set; } = 7_200;

    /// <summary>How long a gateway trusts an API key it has looked up: a revocation elsewhere takes at most this long.</summary>
    [Range(0, 3_600)]
    public int ApiKeyCacheSeconds { get; set; } = 10;

    public List<AccountOptions> Accounts { get; set; } = [];
}

/// <summary>One HS256 key of the ring: base64 of at least 32 bytes, named by <see cref="Id"/> in the tokens it signs.</summary>
public sealed class SigningKeyOptions
{
    [Required]
    public string Id { get; set; } = "";

    [Required]
    public string Key { get; set; } = "";

    /// <summary>When it starts signing (unset: always could); the due key with the latest time signs.</summary>
    public DateTimeOffset? SignFrom { get; set; }

    /// <summary>When it stopped signing; it still checks tokens for one access-token lifetime after.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>One person's account: a role, a salted password hash (<see cref="PasswordHasher"/>), a TOTP secret for CEO and CTO.</summary>
public sealed class AccountOptions
{
    [Required]
    public string Name { get; set; } = "";

    [Required]
    public string Role { get; set; } = "";

    [Required]
    public string PasswordHash { get; set; } = "";

    /// <summary>Base32; required for the roles that need a second factor.</summary>
    public string? TotpSecret { get; set; }
}
