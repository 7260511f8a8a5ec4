using System.Security.Claims;
using Galaxy.Gateway.Guardian;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The gateway's memory of validated access tokens: a token is checked once and answered from memory until it expires
/// or for a minute at most, each answer with an identity of its own; a token that fails is never remembered.
/// </summary>
public sealed class ValidatedTokensTests
{
    private static readonly SymmetricSecurityKey Key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = "test" };
    private static readonly SymmetricSecurityKey OtherKey = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) { KeyId = "test" };

    private readonly MovableClock _clock = new() { Now = DateTimeOffset.UtcNow };
    private int _keyLookups;

    [Fact]
    public async Task A_valid_token_is_checked_once_and_each_answer_has_its_own_identity()
    {
        var tokens = new ValidatedTokens(_clock);
        var token = Token(Key, TimeSpan.FromMinutes(15));

        var first = await tokens.ValidateTokenAsync(token, Parameters());
        var second = await tokens.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _keyLookups);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        first.ClaimsIdentity.AddClaim(new Claim(GuardianClaims.Role, Roles.Ceo));
        Assert.False(second.ClaimsIdentity.HasClaim(GuardianClaims.Role, Roles.Ceo));
        Assert.Equal(Roles.Operator, second.ClaimsIdentity.FindFirst(GuardianClaims.Role)?.Value);
    }

    [Fact]
    public async Task A_token_is_checked_again_once_it_has_expired()
    {
        var tokens = new ValidatedTokens(_clock);
        var token = Token(Key, TimeSpan.FromMinutes(15));
        await tokens.ValidateTokenAsync(token, Parameters());

        _clock.Now += TimeSpan.FromMinutes(16);
        await tokens.ValidateTokenAsync(token, Parameters());

        Assert.Equal(2, _keyLookups);
    }

    [Fact]
    public async Task A_long_lived_token_is_checked_again_after_a_minute_so_a_retired_signing_key_stops_admitting_it()
    {
        var tokens = new ValidatedTokens(_clock);
        var token = Token(Key, TimeSpan.FromMinutes(15));
        await tokens.ValidateTokenAsync(token, Parameters());

        _clock.Now += ValidatedTokens.Remembered - TimeSpan.FromSeconds(1);
        await tokens.ValidateTokenAsync(token, Parameters());
        Assert.Equal(1, _keyLookups);

        _clock.Now += TimeSpan.FromSeconds(2);
        await tokens.ValidateTokenAsync(token, Parameters());
        Assert.Equal(2, _keyLookups);
    }

    [Fact]
    public async Task A_token_that_fails_is_refused_every_time_and_never_remembered()
    {
        var tokens = new ValidatedTokens(_clock);
        var forged = Token(OtherKey, TimeSpan.FromMinutes(15));

        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.Equal(2, _keyLookups);
    }

    private static string Token(SymmetricSecurityKey key, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "galaxy-gateway",
            Audience = "galaxy-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity([new Claim(GuardianClaims.Subject, "someone"), new Claim(GuardianClaims.Role, Roles.Operator)]),
        });
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "galaxy-gateway",
        ValidAudience = "galaxy-api",
        IssuerSigningKeyResolver = (_, _, _, _) =>
        {
            Interlocked.Increment(ref _keyLookups);
            return [Key];
        },
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = GuardianClaims.Subject,
        RoleClaimType = GuardianClaims.Role,
    };

    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
