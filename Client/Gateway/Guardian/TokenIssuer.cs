using System.Security.Claims;
using Galaxy.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Guardian;

/// <summary>Issues the pair a sign-in or a refresh answers with: a signed JWT access token and a refresh token.</summary>
internal sealed class TokenIssuer(SigningKeys signingKeys, IOptions<GuardianOptions> options, RefreshTokenStore refreshTokens, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<TokenResponse> IssueAsync(AccountOptions account, Guid familyId, string? refreshToken, CancellationToken cancellationToken)
    {
        var guardian = options.Value;
        refreshToken ??= await refreshTokens.IssueAsync(account.Name, familyId, RefreshLifetime, cancellationToken);
        var accessToken = CreateAccessToken(account.Name, account.Role, familyId);
        return new TokenResponse(accessToken, "Bearer", guardian.AccessTokenSeconds, refreshToken, guardian.RefreshTokenSeconds, account.Role);
    }

    public TimeSpan RefreshLifetime => TimeSpan.FromSeconds(options.Value.RefreshTokenSeconds);

    /// <summary>An access token for a subject and role, valid for the configured lifetime from now.</summary>
    public string CreateAccessToken(string subject, string role, Guid session)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(options.Value.AccessTokenSeconds),
            SigningCredentials = signingKeys.Current,
            Subject = new ClaimsIdentity(
            [
                new Claim(GuardianClaims.Subject, subject),
                new Claim(GuardianClaims.Role, role),
                new Claim(GuardianClaims.Session, session.ToString()),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString()),
            ]),
        });
    }
}
