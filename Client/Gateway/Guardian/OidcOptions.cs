using System.ComponentModel.DataAnnotations;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// An external OpenID Connect issuer (Entra ID, Okta, Keycloak, …), bound from <c>Galaxy:Guardian:Oidc</c>: its access
/// tokens are accepted beside Galaxy's own, checked against its discovery document and JWKS, and given a Galaxy role
/// from their role claim. CEO and CTO need proof of a second factor in <see cref="MfaClaim"/>.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The issuer; <c>{Authority}/.well-known/openid-configuration</c> is its discovery document.</summary>
    [Required]
    public Uri? Authority { get; set; }

    /// <summary>The audience its tokens for Galaxy carry (<c>aud</c>).</summary>
    [Required]
    public string Audience { get; set; } = "galaxy-api";

    /// <summary>Refuse discovery over plain HTTP; only a local test issuer turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that carries the caller's roles or groups at the issuer.</summary>
    [Required]
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Issuer role (or group) → Galaxy role, e.g. <c>"galaxy-executives": "CEO"</c>. Empty: the claim holds Galaxy's role
    /// names themselves. A caller with several gets the highest; one with none is refused.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>The claim that says how the caller authenticated (RFC 8176 <c>amr</c>).</summary>
    [Required]
    public string MfaClaim { get; set; } = "amr";

    /// <summary>Values of <see cref="MfaClaim"/> that prove a second factor; empty means <see cref="DefaultMfaValues"/>.</summary>
    // No default in the list itself: configuration binding would add the configured values to it rather than replace it.
    public List<string> MfaValues { get; set; } = [];

    /// <summary>RFC 8176's second factors: <c>mfa</c> itself, one-time codes, hardware and software keys, smart cards.</summary>
    public static readonly string[] DefaultMfaValues = ["mfa", "otp", "hwk", "swk", "sc"];

    public IReadOnlyCollection<string> SecondFactors => MfaValues.Count == 0 ? DefaultMfaValues : MfaValues;

    /// <summary>Put before the issuer's subject in Galaxy's principal (and audit rows), so it never reads as a local account.</summary>
    public string SubjectPrefix { get; set; } = "oidc:";
}
