namespace Galaxy.Gateway.Guardian;

/// <summary>The claims Guardian puts in a principal, whatever signed it in (token, API key or dashboard cookie).</summary>
public static class GuardianClaims
{
    public const string Subject = "sub";
    public const string Role = "role";

    /// <summary>The refresh-token family an access token was issued with.</summary>
    public const string Session = "sid";

    public static string SubjectOf(System.Security.Claims.ClaimsPrincipal user) => user.FindFirst(Subject)?.Value ?? "anonymous";
}
