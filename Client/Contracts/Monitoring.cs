namespace Galaxy.Contracts;

/// <summary>
/// <c>GET /v1/monitoring/report?from=&amp;to=&amp;model=&amp;stepSeconds=</c>: the seed's <c>performanceReport(timeRange)</c>
/// from the performance log. <paramref name="From"/> and <paramref name="To"/> default to the last hour (at most 31 days
/// apart); <paramref name="StepSeconds"/> is the width of each point (a multiple of the log's interval, chosen so that a
/// series has at most 360 points unless the caller asks for a step).
/// </summary>
public sealed record PerformanceReport(
    DateTimeOffset From,
    DateTimeOffset To,
    int StepSeconds,
    int IntervalSeconds,
    VersionPerformance[] Versions,
    SiloResources[] Silos,
    ResourceThresholdsResponse ResourceThresholds);

/// <summary>One model version's performance over the range (<paramref name="Total"/>) and per step (<paramref name="Points"/>, oldest first), with the model's thresholds.</summary>
public sealed record VersionPerformance(
    NamedReference Model, int Version, string Key, ThresholdsResponse Thresholds, PerformanceWindow Total, PerformanceWindow[] Points);

/// <summary>
/// What a version's inference did in one window, as the gateways measured it: requests and failed ones, throughput in
/// requests per second, latency percentiles (null without requests), and accuracy from feedback (null without feedback).
/// </summary>
public sealed record PerformanceWindow(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Requests,
    long Errors,
    double ThroughputPerSecond,
    double ErrorRate,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    long Feedback,
    double? Accuracy);

/// <summary>One silo's resource use per step, oldest first.</summary>
public sealed record SiloResources(string Silo, ResourcePoint[] Points);

/// <summary>A silo's CPU and memory use in percent at the end of a step (the step's highest); GPU only where a GPU reports it.</summary>
public sealed record ResourcePoint(DateTimeOffset At, double CpuPercent, double MemoryPercent, double? GpuPercent);

/// <summary>The cluster-wide resource limits (configuration, <c>Galaxy:Monitoring</c>), in percent.</summary>
public sealed record ResourceThresholdsResponse(double CpuPercent, double GpuPercent, double MemoryPercent);

/// <summary>
/// <c>GET|PUT /v1/monitoring/thresholds/{model}</c>: a model's alert thresholds (the seed's when none were set). Latency
/// alerts fire at or above a limit, accuracy and throughput ones below it; throughput is judged only while the model has
/// traffic, accuracy only on at least <paramref name="MinFeedback"/> answers with feedback in an interval.
/// </summary>
public sealed record ThresholdsResponse(
    NamedReference Model,
    double LatencyP95WarningMs,
    double LatencyP95CriticalMs,
    double AccuracyWarning,
    double AccuracyCritical,
    double ThroughputWarning,
    double ThroughputCritical,
    int MinFeedback,
    bool IsDefault,
    string? UpdatedBy,
    DateTimeOffset? UpdatedAt);

/// <summary>A model's thresholds to set; what is omitted takes the seed's default.</summary>
public sealed record ThresholdsBody(
    double? LatencyP95WarningMs,
    double? LatencyP95CriticalMs,
    double? AccuracyWarning,
    double? AccuracyCritical,
    double? ThroughputWarning,
    double? ThroughputCritical,
    int? MinFeedback);

/// <summary>
/// An alert (<c>GET /v1/alerts</c>, <c>GET /v1/alerts/{id}</c>): one breach of one threshold by one subject, from when
/// it fired until it resolved; a breach that goes on is the same alert (its <paramref name="Value"/> and
/// <paramref name="LastSeenAt"/> move, its severity only rises). <paramref name="Kind"/> is <c>latency-p95</c>,
/// <c>accuracy</c>, <c>throughput</c>, <c>cpu</c>, <c>gpu</c> or <c>memory</c>; <paramref name="Severity"/>
/// <c>warning</c> or <c>critical</c>; <paramref name="State"/> <c>firing</c> or <c>resolved</c>. <paramref name="Level"/>
/// is the escalation level (1 AI engineers and operations, 2 lead AI and CTO, 3 CEO) and <paramref name="Notified"/> the
/// roles paged so far. The subject is a model version (<c>digits:3</c>), a model (<c>digits</c>, throughput) or a silo.
/// </summary>
public sealed record AlertResponse(
    Guid Id,
    string Kind,
    string Severity,
    string State,
    int Level,
    string[] Notified,
    string Subject,
    NamedReference? Model,
    int? Version,
    double Value,
    double Threshold,
    string Summary,
    DateTimeOffset FiredAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset? ResolvedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgeComment);

/// <summary>Alerts newest first: <c>?state=firing|resolved&amp;severity=warning|critical&amp;offset=&amp;limit=</c>.</summary>
public sealed record AlertPage(AlertResponse[] Items, int Offset, int Limit, long Total);

/// <summary><c>POST /v1/alerts/{id}/acknowledge</c>: a person takes the alert on; it stops escalating.</summary>
public sealed record AcknowledgeBody(string? Comment);

/// <summary>
/// A webhook delivery of an alert's event (<c>GET /v1/alerts/deliveries?status=pending|delivered|dead</c>):
/// <paramref name="Event"/> is <c>fired</c>, <c>raised</c> (to critical), <c>escalated</c> or <c>resolved</c>; a delivery
/// that failed every attempt is <c>dead</c>, the dead-letter record.
/// </summary>
public sealed record DeliveryResponse(
    Guid Id, Guid AlertId, string Webhook, string Event, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt, string? LastError);

public sealed record DeliveryPage(DeliveryResponse[] Items, int Offset, int Limit, long Total);
