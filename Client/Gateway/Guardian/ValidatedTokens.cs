using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Galaxy's access tokens, validated once and remembered until they expire: a client presents the same token on every
/// request of its session, and JwtBearer would parse it, check its HMAC, issuer, audience and lifetime and build its
/// claims again each time (a third of the gateway's throughput against an API key, whose check is one cached look-up).
/// Only valid tokens are kept, by their exact text, each until its own expiry or for <see cref="Remembered"/>, whichever
/// comes first, so that a signing key retired from the ring stops admitting its tokens within that time; a token the
/// cache has forgotten (it holds <see cref="Capacity"/>) is simply validated again.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider time) : TokenHandler
{
    public const int Capacity = 100_000;

    public static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out Known? known) && known!.Until > time.GetUtcNow())
        {
            return Copy(known.Result);
        }

        var result = await _handler.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            var until = Min(new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero), time.GetUtcNow() + Remembered);
            _valid.Set(token, new Known(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            return Copy(result);
        }

        return result;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

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

    private sealed record Known(TokenValidationResult Result, DateTimeOffset Until);
}
