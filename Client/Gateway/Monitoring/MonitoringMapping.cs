using Galaxy.Contracts;
using Galaxy.Registry;
using Galaxy.Registry.Monitoring;

namespace Galaxy.Gateway.Monitoring;

/// <summary>Monitoring's records as the HTTP contracts show them.</summary>
internal static class MonitoringMapping
{
    public static AlertPage ToResponse(this Page<AlertRow> page) =>
        new(page.Items.Select(alert => alert.ToResponse()).ToArray(), page.Offset, page.Limit, page.Total);

    public static ThresholdsResponse ToResponse(this ModelThresholds thresholds, NamedReference model, ThresholdsRow? set) => new(
        model, thresholds.LatencyP95WarningMs, thresholds.LatencyP95CriticalMs, thresholds.AccuracyWarning, thresholds.AccuracyCritical,
        thresholds.ThroughputWarning, thresholds.ThroughputCritical, thresholds.MinFeedback, set is null, set?.UpdatedBy, set?.UpdatedAt);

    /// <summary>The thresholds to set: what the body omits takes the seed's default.</summary>
    public static ModelThresholds ToThresholds(this ThresholdsBody body)
    {
        var seed = ModelThresholds.Default;
        return new ModelThresholds(
            body.LatencyP95WarningMs ?? seed.LatencyP95WarningMs, body.LatencyP95CriticalMs ?? seed.LatencyP95CriticalMs,
            body.AccuracyWarning ?? seed.AccuracyWarning, body.AccuracyCritical ?? seed.AccuracyCritical,
            body.ThroughputWarning ?? seed.ThroughputWarning, body.ThroughputCritical ?? seed.ThroughputCritical, body.MinFeedback ?? seed.MinFeedback);
    }

    public static AlertResponse ToResponse(this AlertRow alert) => new(
        alert.Id, alert.Kind, alert.Severity, alert.State, alert.Level, EscalationMatrix.PagedUpTo(alert.Level), alert.Subject,
        alert is { ModelId: { } id, ModelName: { } name } ? new NamedReference(id, name) : null, alert.Version, alert.Value, alert.Threshold,
        alert.Summary, alert.FiredAt, alert.LastSeenAt, alert.EscalatedAt, alert.ResolvedAt, alert.AcknowledgedBy, alert.AcknowledgedAt,
        alert.AcknowledgeComment);

    public static DeliveryResponse ToResponse(this DeliveryRow delivery) => new(
        delivery.Id, delivery.AlertId, delivery.Webhook, delivery.Event, delivery.Status, delivery.Attempts, delivery.CreatedAt,
        delivery.NextAttemptAt, delivery.DeliveredAt, delivery.LastError);
}
