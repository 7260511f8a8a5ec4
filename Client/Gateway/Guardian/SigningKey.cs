using Galaxy.Persistence;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// The key access tokens are signed and checked with: configured, or kept in the local state directory (created there
/// on first start, readable by its owner only), or else made up per process (tokens then die with it).
/// </summary>
public sealed class SigningKey
{
    private const string FileName = "jwt-signing.key";

    public SigningKey(IOptions<GuardianOptions> options, ILogger<SigningKey> logger)
    {
        var guardian = options.Value;
        var bytes = guardian.SigningKey is { } configured ? Convert.FromBase64String(configured)
            : guardian.LocalStateDirectory is { } directory ? LoadOrCreate(Path.Combine(directory, FileName))
            : Ephemeral(logger);
        Key = new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] };
        Credentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256);
    }

    public SymmetricSecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

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
}
