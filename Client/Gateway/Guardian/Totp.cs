using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Galaxy.Gateway.Guardian;

/// <summary>Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), secrets in base32.</summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    public static string NewSecret() => Base32.Encode(RandomNumberGenerator.GetBytes(20));

    /// <summary>The code for the step holding <paramref name="time"/>.</summary>
    public static string Code(string base32Secret, DateTimeOffset time, int digits = Digits) =>
        Code(Base32.Decode(base32Secret), Step(time), digits);

    public static long Step(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>
    /// The step a code matches, allowing one step of clock drift either way, or null. Callers refuse a step at or
    /// before the last one accepted, so that a code cannot be replayed.
    /// </summary>
    public static long? MatchingStep(string base32Secret, string code, DateTimeOffset now)
    {
        var key = Base32.Decode(base32Secret);
        var current = Step(now);
        for (var step = current - 1; step <= current + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(Code(key, step, Digits)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>The <c>otpauth://</c> URI authenticator apps read from a QR code.</summary>
    public static string ProvisioningUri(string issuer, string account, string base32Secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={base32Secret}&issuer={Uri.EscapeDataString(issuer)}&digits={Digits}&period={StepSeconds}";

    private static string Code(byte[] key, long step, int digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[20];
        HMACSHA1.HashData(key, counter, mac);
        var offset = mac[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(mac[offset..]) & 0x7FFF_FFFF;
        return (binary % (int)Math.Pow(10, digits)).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }
}
