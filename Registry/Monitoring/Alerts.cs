namespace Galaxy.Registry.Monitoring;

/// <summary>What an alert watches; the wire names are the <c>kind</c> column's (schema 0024).</summary>
public static class AlertKinds
{
    public const string LatencyP95 = "latency-p95";
    public const string Accuracy = "accuracy";
    public const string Throughput = "throughput";
    public const string Cpu = "cpu";
    public const string Gpu = "gpu";
    public const string Memory = "memory";
}

public static class AlertSeverities
{
    public const string Warning = "warning";
    public const string Critical = "critical";
}

public static class AlertStates
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
}

/// <summary>The events of an alert that are audited and sent to the webhooks.</summary>
public static class AlertEvents
{
    public const string Fired = "fired";
    public const string Raised = "raised";
    public const string Escalated = "escalated";
    public const string Resolved = "resolved";
    public const string Acknowledged = "acknowledged";
}

/// <summary>
/// The seed's escalation matrix in Galaxy's roles: level 1 pages the AI engineers and operations (the seed's
/// <c>ai_engineer, ops_team</c>), level 2 the lead AI and the CTO, level 3 the CEO (the seed's <c>emergency_team</c> has
/// no Galaxy role: a webhook receiver routes level 3 to it).
/// </summary>
public static class EscalationMatrix
{
    public const int HighestLevel = 3;

    private static readonly string[][] Levels = [["AI_ENGINEER", "OPERATOR"], ["LEAD_AI", "CTO"], ["CEO"]];

    /// <summary>The roles a level pages.</summary>
    public static string[] RolesOf(int level) => Levels[level - 1];

    /// <summary>Every role paged once an alert has reached <paramref name="level"/>.</summary>
    public static string[] PagedUpTo(int level) => Levels.Take(level).SelectMany(roles => roles).ToArray();
}

/// <summary>An alert as <c>galaxy_alerts</c> keeps it (with its model's name).</summary>
public sealed record AlertRow(
    Guid Id,
    string Fingerprint,
    string Kind,
    string Subject,
    Guid? ModelId,
    string? ModelName,
    int? Version,
    string Severity,
    string State,
    int Level,
    double Value,
    double Threshold,
    string Summary,
    DateTimeOffset FiredAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset? ResolvedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgeComment)
{
    public bool IsAcknowledged => AcknowledgedBy is not null;
}

/// <summary>What a webhook in the Galaxy format receives: the event, the alert as it stands after it, and whom it pages.</summary>
public sealed record AlertEvent(Guid DeliveryId, string Event, DateTimeOffset At, string[] Notify, AlertEventAlert Alert);

public sealed record AlertEventAlert(
    Guid Id, string Kind, string Severity, string State, int Level, string Subject, Guid? ModelId, string? Model, int? Version, double Value,
    double Threshold, string Summary, DateTimeOffset FiredAt, DateTimeOffset? ResolvedAt, string? AcknowledgedBy)
{
    public static AlertEventAlert Of(AlertRow row) => new(
        row.Id, row.Kind, row.Severity, row.State, row.Level, row.Subject, row.ModelId, row.ModelName, row.Version, row.Value, row.Threshold,
        row.Summary, row.FiredAt, row.ResolvedAt, row.AcknowledgedBy);
}
