using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Galaxy.Registry.Monitoring;

/// <summary>
/// Sends the due alert deliveries, each signed (<see cref="WebhookSignature"/>): a 2xx answer delivers it; anything
/// else (another status, a refused connection, a timeout) is due again after a backoff that doubles per attempt (from
/// <see cref="MonitoringOptions.DeliveryBackoffSeconds"/>, at most an hour) until
/// <see cref="MonitoringOptions.DeliveryAttempts"/> attempts, after which it is dead: the row stays as the dead-letter
/// record with the last error. The schedule lives in the database rather than in an in-process retry loop, so retries
/// outlive the silo that began them.
/// </summary>
public sealed partial class WebhookSender(
    AlertDeliveries deliveries, HttpClient http, MonitoringOptions options, TimeProvider time, ILogger<WebhookSender> logger)
{
    private const int Batch = 32;

    /// <summary>Sends what is due now; returns how many deliveries it attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.DeliveryTimeoutSeconds);
        var due = await deliveries.ClaimDueAsync(time.GetUtcNow(), timeout * 2 + TimeSpan.FromSeconds(5), Batch, cancellationToken);
        foreach (var delivery in due)
        {
            await SendAsync(delivery, timeout, cancellationToken);
        }

        return due.Count;
    }

    private async Task SendAsync(ClaimedDelivery delivery, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var webhook = options.Webhooks.FirstOrDefault(candidate => candidate.Name == delivery.Webhook);
        if (webhook is null)
        {
            await deliveries.FailedAsync(delivery.Id, null, $"webhook '{delivery.Webhook}' is no longer configured", cancellationToken);
            return;
        }

        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(webhook.Secret, timestamp, delivery.Payload));
            request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(timeout);
            using var response = await http.SendAsync(request, attempt.Token);
            error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception fault) when (fault is HttpRequestException || (fault is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            error = fault is OperationCanceledException ? $"no answer within {timeout.TotalSeconds} s" : fault.Message;
        }

        var now = time.GetUtcNow();
        if (error is null)
        {
            await deliveries.DeliveredAsync(delivery.Id, now, cancellationToken);
            return;
        }

        var attempts = delivery.Attempts + 1;
        var retryAt = attempts >= options.DeliveryAttempts ? (DateTimeOffset?)null : now + Backoff(attempts);
        if (retryAt is null)
        {
            LogDeadLettered(logger, delivery.Id, webhook.Name, attempts, error);
        }

        await deliveries.FailedAsync(delivery.Id, retryAt, error, cancellationToken);
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt: the base, doubled per attempt before it, at most an hour.</summary>
    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3_600, options.DeliveryBackoffSeconds * Math.Pow(2, attempts - 1)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert delivery {DeliveryId} to webhook {Webhook} failed {Attempts} times and is dead-lettered: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, Guid deliveryId, string webhook, int attempts, string error);
}
