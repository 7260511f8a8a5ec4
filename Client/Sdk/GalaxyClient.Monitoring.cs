using System.Globalization;
using Galaxy.Contracts;

namespace Galaxy.Client;

// Monitoring (/v1/monitoring): the performance report and each model's alert thresholds; and the alerts (/v1/alerts).
public sealed partial class GalaxyClient
{
    /// <summary>
    /// Each served version's latency, accuracy, throughput and errors and each silo's resource use between
    /// <paramref name="from"/> and <paramref name="to"/> (the last hour by default), of one model or all, in steps of
    /// <paramref name="stepSeconds"/> (a multiple of the log's interval; chosen by the gateway when null).
    /// </summary>
    public Task<PerformanceReport> GetPerformanceReportAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? model = null, int? stepSeconds = null, CancellationToken cancellationToken = default) =>
        SendAsync<PerformanceReport>(HttpMethod.Get, "/v1/monitoring/report" + Query(
        [
            ("from", from?.ToString("O", CultureInfo.InvariantCulture)), ("to", to?.ToString("O", CultureInfo.InvariantCulture)), ("model", model),
            ("stepSeconds", stepSeconds?.ToString(CultureInfo.InvariantCulture)),
        ]), null, cancellationToken);

    /// <summary>A model's alert thresholds: the seed's (<see cref="ThresholdsResponse.IsDefault"/>) until some are set.</summary>
    public Task<ThresholdsResponse> GetThresholdsAsync(string model, CancellationToken cancellationToken = default) =>
        SendAsync<ThresholdsResponse>(HttpMethod.Get, $"/v1/monitoring/thresholds/{Uri.EscapeDataString(model)}", null, cancellationToken);

    /// <summary>Sets a model's alert thresholds; what <paramref name="thresholds"/> leaves null takes the seed's default. Safe to repeat.</summary>
    public Task<ThresholdsResponse> SetThresholdsAsync(string model, ThresholdsBody thresholds, CancellationToken cancellationToken = default) =>
        SendAsync<ThresholdsResponse>(HttpMethod.Put, $"/v1/monitoring/thresholds/{Uri.EscapeDataString(model)}", thresholds, cancellationToken);

    /// <summary>Alerts, newest first; <paramref name="state"/> is <c>firing</c> or <c>resolved</c>, <paramref name="severity"/> <c>warning</c> or <c>critical</c>.</summary>
    public Task<AlertPage> ListAlertsAsync(
        string? state = null, string? severity = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<AlertPage>(HttpMethod.Get, "/v1/alerts" + Query(
        [
            ("state", state), ("severity", severity), ("offset", offset.ToString(CultureInfo.InvariantCulture)),
            ("limit", limit.ToString(CultureInfo.InvariantCulture)),
        ]), null, cancellationToken);

    public Task<AlertResponse> GetAlertAsync(Guid alertId, CancellationToken cancellationToken = default) =>
        SendAsync<AlertResponse>(HttpMethod.Get, $"/v1/alerts/{alertId}", null, cancellationToken);

    /// <summary>
    /// Takes an alert on, so that it stops escalating. Sent once (a 429 aside): a second acknowledgement is a
    /// <see cref="GalaxyInvalidRequestException"/> 409 <c>alert-already-acknowledged</c>.
    /// </summary>
    public Task<AlertResponse> AcknowledgeAlertAsync(Guid alertId, string? comment = null, CancellationToken cancellationToken = default) =>
        SendAsync<AlertResponse>(HttpMethod.Post, $"/v1/alerts/{alertId}/acknowledge", new AcknowledgeBody(comment), cancellationToken, safeToRepeat: false);

    /// <summary>Webhook deliveries of alert events, newest first; <paramref name="status"/> is <c>pending</c>, <c>delivered</c> or <c>dead</c>.</summary>
    public Task<DeliveryPage> ListAlertDeliveriesAsync(string? status = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<DeliveryPage>(HttpMethod.Get, "/v1/alerts/deliveries" + Query(
        [
            ("status", status), ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture)),
        ]), null, cancellationToken);
}
