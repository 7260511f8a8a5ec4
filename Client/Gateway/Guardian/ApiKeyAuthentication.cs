using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Guardian;

/// <summary>Signs in a request that carries a live API key in <c>X-Api-Key</c>, as the <see cref="Roles.ApiKey"/> role.</summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        if (presented.Count != 1 || await keys.FindActiveAsync(presented[0]!, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(GuardianClaims.Subject, $"apikey:{key.Id}"),
                new Claim(GuardianClaims.Role, Roles.ApiKey),
            ],
            SchemeName, GuardianClaims.Subject, GuardianClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
