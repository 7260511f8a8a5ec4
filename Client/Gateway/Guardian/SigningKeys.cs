using System.Security.Cryptography;
using Galaxy.Persistence;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// The keys Galaxy's own access tokens are signed and checked with, each with a key id (<c>kid</c>). Rotation without
/// downtime (docs/security.md, "Rotating the signing key"): publish a new key with a <c>SignFrom</c> time far enough ahead
/// that every gateway has it by then; from that time it signs; give the old one a <c>RetiredAt</c>, after which it signs
/// nothing and checks tokens only for one access-token lifetime more, so tokens issued before the rotation stay valid
/// until they expire and none longer. Without <c>SigningKeys</c>: the single <c>SigningKey</c>, else the local state
/// directory's key, else a per-process key.
/// </summary>
public sealed class SigningKeys
{
    private const string FileName = "jwt-signing.key";

    // Tokens are checked with 30 s of clock skew (GuardianSetup); a retired key lives that much longer too.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<RingKey> _keys;
    private readonly TimeSpan _overlap;
    private readonly TimeProvider _time;

    public SigningKeys(IOptions<GuardianOptions> options, TimeProvider time, ILogger<SigningKeys> logger)
    {
        var guardian = options.Value;
        _time = time;
        _overlap = TimeSpan.FromSeconds(guardian.AccessTokenSeconds) + ClockSkew;
        _keys = guardian.SigningKeys.Count > 0
            ? guardian.SigningKeys.Select(key => new RingKey(Key(Convert.FromBase64String(key.Key), key.Id), key.SignFrom, key.RetiredAt)).ToList()
            : [new RingKey(Key(SingleKey(guardian, logger), null), null, null)];
    }

    /// <summary>What signs a token issued now: the key whose <c>SignFrom</c> came last, of those not retired.</summary>
    public SigningCredentials Current
    {
        get
        {
            var now = _time.GetUtcNow();
            var signing = _keys.Where(key => (key.SignFrom ?? DateTimeOffset.MinValue) <= now && (key.RetiredAt is null || key.RetiredAt > now))
                .MaxBy(key => key.SignFrom ?? DateTimeOffset.MinValue)
                ?? throw new InvalidOperationException("No signing key may sign now: every configured key is retired or not yet due.");
            return new SigningCredentials(signing.Key, SecurityAlgorithms.HmacSha256);
        }
    }

    /// <summary>The keys a token with key id <paramref name="kid"/> may have been signed with (any, when it names none).</summary>
    public IEnumerable<SecurityKey> Validating(string? kid)
    {
        var now = _time.GetUtcNow();
        return _keys
            .Where(key => key.RetiredAt is not { } retired || retired + _overlap > now)
            .Where(key => string.IsNullOrEmpty(kid) || key.Key.KeyId == kid)
            .Select(key => key.Key);
    }

    private static SymmetricSecurityKey Key(byte[] bytes, string? id) =>
        new(bytes) { KeyId = id ?? Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] };

    private static byte[] SingleKey(GuardianOptions guardian, ILogger logger) =>
        !string.IsNullOrEmpty(guardian.SigningKey) ? Convert.FromBase64String(guardian.SigningKey)
        : guardian.LocalStateDirectory is { } directory ? LoadOrCreate(Path.Combine(directory, FileName))
        : Ephemeral(logger);

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var bytes = RandomNumberGenerator.GetBytes(32);
        PrivateFiles.Write(path, Convert.ToBase64String(bytes));
        return bytes;
    }

    private static byte[] Ephemeral(ILogger logger)
    {
        logger.LogWarning("No signing key configured: tokens are signed with a per-process key and die with this gateway.");
        return RandomNumberGenerator.GetBytes(32);
    }

    private sealed record RingKey(SymmetricSecurityKey Key, DateTimeOffset? SignFrom, DateTimeOffset? RetiredAt);
}
