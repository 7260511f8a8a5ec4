using System.Security.Cryptography;
using System.Text;

namespace Galaxy.Registry.Monitoring;

/// <summary>
/// How a receiver knows a delivery came from Galaxy and was not replayed: <c>X-Galaxy-Signature: sha256=HEX</c>, the
/// HMAC-SHA256 under the webhook's secret of <c>{X-Galaxy-Timestamp}.{body}</c>, the timestamp in Unix seconds (a
/// receiver refuses old ones). <c>X-Galaxy-Delivery</c> names the delivery, the same on every attempt, to deduplicate.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Galaxy-Signature";
    public const string TimestampHeader = "X-Galaxy-Timestamp";
    public const string DeliveryHeader = "X-Galaxy-Delivery";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{unixSeconds}.{body}");
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
