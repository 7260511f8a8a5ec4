using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Galaxy's access tokens, validated once and remembered until they expire: a client presents the same token on every
/// request of its session, and JwtBearer would parse it, check its HMAC, issuer, audience and lifetime and build its
/// claims again each time (a third of the gateway's throughput against an API key, whose check is one cached look-up).
/// Only valid tokens are kept, by their exact text, each until its own expiry; a token the cache has forgotten (it
/// holds <see cref="Capacity"/>) is simply validated again.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider time) : TokenHandler
{
    public const int Capacity = 100_000;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out TokenValidationResult? known) && known!.SecurityToken.ValidTo > time.GetUtcNow().UtcDateTime)
        {
            return Copy(known);
        }

        var result = await _handler.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            _valid.Set(token, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = result.SecurityToken.ValidTo });
            return Copy(result);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => _handler.ReadToken(token);

    // Each request gets its own identity, so nothing one request does to its principal reaches another.
    private static TokenValidationResult Copy(TokenValidationResult valid) => new()
    {
        IsValid = true,
        SecurityToken = valid.SecurityToken,
        ClaimsIdentity = valid.ClaimsIdentity.Clone(),
        Issuer = valid.Issuer,
        TokenType = valid.TokenType,
    };
}
