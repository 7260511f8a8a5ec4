using System.Globalization;
using System.Text.Json;

namespace Galaxy.Registry.Monitoring;

/// <summary>The body a webhook receives for an alert event, in its configured format.</summary>
public static class WebhookPayloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Render(WebhookFormat format, AlertEvent alertEvent) => format switch
    {
        WebhookFormat.Slack => Slack(alertEvent),
        _ => JsonSerializer.Serialize(alertEvent, Json),
    };

    // Slack's incoming webhooks take "text" (the notification's fallback) and blocks; mrkdwn bolds with single asterisks.
    private static string Slack(AlertEvent alertEvent)
    {
        var alert = alertEvent.Alert;
        var headline = string.Create(
            CultureInfo.InvariantCulture, $"[{alert.Severity.ToUpperInvariant()}] {alert.Kind} {alert.Subject} {alertEvent.Event} (level {alert.Level})");
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"*{headline}*\n{alert.Summary}\nPaging: {string.Join(", ", alertEvent.Notify)}\nAlert {alert.Id}, fired {alert.FiredAt:O}");
        return JsonSerializer.Serialize(
            new { text = $"{headline}: {alert.Summary}", blocks = new object[] { new { type = "section", text = new { type = "mrkdwn", text = body } } } },
            Json);
    }
}
