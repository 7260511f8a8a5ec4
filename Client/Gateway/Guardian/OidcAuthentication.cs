using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Access tokens from the external OpenID Connect issuer (<see cref="OidcOptions"/>): JwtBearer checks signature,
/// issuer, audience and lifetime against the issuer's discovery document and JWKS (fetched and refreshed by the
/// framework); then the caller's Galaxy role is mapped from the role claim, and CEO and CTO must show a second factor.
/// </summary>
internal static class OidcAuthentication
{
    public const string Scheme = "Oidc";

    public static void Configure(JwtBearerOptions jwt, OidcOptions oidc)
    {
        jwt.Authority = oidc.Authority!.ToString();
        jwt.Audience = oidc.Audience;
        jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = oidc.Audience,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = GuardianClaims.Subject,
            RoleClaimType = GuardianClaims.Role,
        };
        jwt.Events = new JwtBearerEvents { OnTokenValidated = context => MapPrincipal(context, oidc) };
    }

    /// <summary>Whether a bearer token names this issuer: read, not trusted, only to pick the scheme that will check it.</summary>
    public static bool IsFrom(string authorization, OidcOptions oidc)
    {
        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var handler = new JsonWebTokenHandler();
        var token = authorization[bearer.Length..].Trim();
        return handler.CanReadToken(token)
            && string.Equals(handler.ReadJsonWebToken(token).Issuer.TrimEnd('/'), oidc.Authority!.ToString().TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>Replaces the issuer's principal with Galaxy's: a prefixed subject and one Galaxy role, or refuses it.</summary>
    private static Task MapPrincipal(TokenValidatedContext context, OidcOptions oidc)
    {
        var issued = context.Principal!;
        var subject = issued.FindFirst(GuardianClaims.Subject)?.Value;
        var role = issued.FindAll(oidc.RoleClaim)
            .Select(claim => oidc.RoleMap.Count == 0 ? claim.Value : oidc.RoleMap.GetValueOrDefault(claim.Value))
            .Where(mapped => mapped is not null && Roles.AccountRoles.Contains(mapped))
            .MinBy(mapped => Array.IndexOf(Roles.AccountRoles, mapped));
        if (subject is null || role is null)
        {
            Refuse(context, "no-galaxy-role", $"The token's '{oidc.RoleClaim}' claim names no role Galaxy maps (Galaxy:Guardian:Oidc:RoleMap).");
            return Task.CompletedTask;
        }

        if (Roles.RequiresSecondFactor(role) && !issued.FindAll(oidc.MfaClaim).Any(claim => oidc.SecondFactors.Contains(claim.Value)))
        {
            Refuse(context, "mfa-required", $"{role} needs a token whose '{oidc.MfaClaim}' claim shows a second factor ({string.Join(", ", oidc.SecondFactors)}).");
            return Task.CompletedTask;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(GuardianClaims.Subject, oidc.SubjectPrefix + subject), new Claim(GuardianClaims.Role, role)],
            Scheme, GuardianClaims.Subject, GuardianClaims.Role));
        return Task.CompletedTask;
    }

    private static void Refuse(TokenValidatedContext context, string code, string detail)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcAuthentication));
        GuardianLog.OidcTokenRefused(logger, context.Principal?.FindFirst(GuardianClaims.Subject)?.Value ?? "(no subject)", code);
        AuthenticationProblem.Record(context.HttpContext, code, detail);
        context.Fail(detail);
    }
}
