using System.Security.Cryptography;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Bearer secrets Guardian hands out (refresh tokens, API keys): 256 random bits behind a readable prefix, stored only
/// as a SHA-256 digest. With that much entropy a plain digest is as strong as a slow hash, and lookups stay cheap.
/// </summary>
internal static class Secrets
{
    public static string NewToken(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Digest(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));
}
