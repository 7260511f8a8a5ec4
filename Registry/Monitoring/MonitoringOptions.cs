using System.ComponentModel.DataAnnotations;

namespace Galaxy.Registry.Monitoring;

/// <summary>
/// Monitoring and alerts, bound from <c>Galaxy:Monitoring</c>: the performance log's interval and retention, the
/// cluster-wide resource limits (the seed's CPU 80 %, GPU 85 %, memory 90 %), how long an unacknowledged alert waits
/// before each escalation, and the webhooks every alert event goes to.
/// </summary>
public sealed class MonitoringOptions : IValidatableObject
{
    public const string Section = "Galaxy:Monitoring";

    /// <summary>Seconds per performance-log interval: each interval is one row per served version, and one evaluation of every threshold.</summary>
    [Range(1, 3_600)]
    public int IntervalSeconds { get; set; } = 10;

    /// <summary>Hours the performance log, and webhook deliveries that ended, are kept.</summary>
    [Range(1, 24 * 366)]
    public int RetentionHours { get; set; } = 24 * 7;

    [Range(1, 100)]
    public double CpuPercent { get; set; } = 80;

    [Range(1, 100)]
    public double GpuPercent { get; set; } = 85;

    [Range(1, 100)]
    public double MemoryPercent { get; set; } = 90;

    /// <summary>Seconds a firing alert goes unacknowledged before level 2 (lead AI and CTO) is paged.</summary>
    [Range(1, 7 * 86_400)]
    public int Level2AfterSeconds { get; set; } = 300;

    /// <summary>Seconds a firing alert goes unacknowledged before level 3 (CEO) is paged; more than <see cref="Level2AfterSeconds"/>.</summary>
    [Range(1, 7 * 86_400)]
    public int Level3AfterSeconds { get; set; } = 900;

    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Attempts per delivery before it is dead-lettered.</summary>
    [Range(1, 20)]
    public int DeliveryAttempts { get; set; } = 6;

    /// <summary>Seconds before the second attempt; each later wait doubles (2, 4, 8, 16, 32 s by default), at most an hour.</summary>
    [Range(1, 3_600)]
    public int DeliveryBackoffSeconds { get; set; } = 2;

    [Range(1, 120)]
    public int DeliveryTimeoutSeconds { get; set; } = 10;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Level3AfterSeconds <= Level2AfterSeconds)
        {
            yield return new ValidationResult("Level3AfterSeconds must be more than Level2AfterSeconds.", [nameof(Level3AfterSeconds)]);
        }

        foreach (var webhook in Webhooks)
        {
            if (string.IsNullOrWhiteSpace(webhook.Name) || Webhooks.Count(other => other.Name == webhook.Name) > 1)
            {
                yield return new ValidationResult($"Webhooks: every webhook needs a name of its own ('{webhook.Name}').", [nameof(Webhooks)]);
            }

            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"Webhooks: '{webhook.Name}' needs an absolute http or https Url.", [nameof(Webhooks)]);
            }

            if (webhook.Secret is not { Length: >= WebhookOptions.MinSecretLength })
            {
                yield return new ValidationResult(
                    $"Webhooks: '{webhook.Name}' needs a Secret of at least {WebhookOptions.MinSecretLength} characters to sign with.", [nameof(Webhooks)]);
            }
        }
    }
}

/// <summary>One webhook: where alert events are posted, the HMAC-SHA256 key that signs them, and the body's shape.</summary>
public sealed class WebhookOptions
{
    public const int MinSecretLength = 16;

    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    public WebhookFormat Format { get; set; } = WebhookFormat.Galaxy;
}

public enum WebhookFormat
{
    /// <summary>The alert event as JSON (<see cref="AlertEvent"/>).</summary>
    Galaxy,

    /// <summary>A Slack incoming-webhook message: <c>text</c> and one mrkdwn section block.</summary>
    Slack,
}
