using Galaxy.Registry.Monitoring;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>
/// How judgements become alert changes: firing once per fingerprint, rising to critical, resolving, and escalating by
/// the seed's matrix at the configured ages (times given, no clock, no waiting).
/// </summary>
public sealed class AlertBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MonitoringOptions Options = new() { Level2AfterSeconds = 300, Level3AfterSeconds = 900 };
    private static readonly Guid Model = Guid.NewGuid();

    [Fact]
    public void A_breach_fires_one_alert_at_level_1_and_a_breach_that_goes_on_updates_it()
    {
        var fired = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options));
        var goingOn = Assert.Single(AlertBook.Plan([fired.Alert], [Latency(AlertSeverities.Warning, 90)], T0.AddSeconds(10), Options));

        Assert.True(fired.IsNew);
        Assert.Equal([AlertEvents.Fired], fired.Events);
        Assert.Equal((1, AlertStates.Firing, "latency-p95 digits:1"), (fired.Alert.Level, fired.Alert.State, fired.Alert.Fingerprint));
        Assert.False(goingOn.IsNew);
        Assert.Empty(goingOn.Events);
        Assert.Equal((fired.Alert.Id, 90.0, T0.AddSeconds(10)), (goingOn.Alert.Id, goingOn.Alert.Value, goingOn.Alert.LastSeenAt));
    }

    [Fact]
    public void A_warning_rises_to_critical_and_never_falls_back()
    {
        var fired = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options)).Alert;

        var raised = Assert.Single(AlertBook.Plan([fired], [Latency(AlertSeverities.Critical, 120)], T0.AddSeconds(10), Options));
        var eased = Assert.Single(AlertBook.Plan([raised.Alert], [Latency(AlertSeverities.Warning, 85)], T0.AddSeconds(20), Options));

        Assert.Equal([AlertEvents.Raised], raised.Events);
        Assert.Equal((AlertSeverities.Critical, 100.0), (raised.Alert.Severity, raised.Alert.Threshold));
        Assert.Empty(eased.Events);
        Assert.Equal((AlertSeverities.Critical, 100.0, 85.0), (eased.Alert.Severity, eased.Alert.Threshold, eased.Alert.Value));
    }

    [Fact]
    public void A_figure_back_within_its_limit_resolves_the_alert()
    {
        var fired = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options)).Alert;

        var resolved = Assert.Single(AlertBook.Plan([fired], [Latency(null, 40)], T0.AddSeconds(10), Options));

        Assert.Equal([AlertEvents.Resolved], resolved.Events);
        Assert.Equal((AlertStates.Resolved, T0.AddSeconds(10)), (resolved.Alert.State, resolved.Alert.ResolvedAt));
    }

    [Fact]
    public void A_subject_no_longer_reported_resolves_its_alert_and_an_unjudged_one_keeps_it()
    {
        var fired = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options)).Alert;
        var unjudged = new Judgement(AlertKinds.LatencyP95, "digits:1", Model, "digits", 1, false, null);

        Assert.Empty(AlertBook.Plan([fired], [unjudged], T0.AddSeconds(10), Options));
        Assert.Equal([AlertEvents.Resolved], Assert.Single(AlertBook.Plan([fired], [], T0.AddSeconds(10), Options)).Events);
    }

    [Fact]
    public void An_unacknowledged_alert_escalates_to_level_2_at_300_s_and_level_3_at_900_s()
    {
        var alert = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options)).Alert;
        var levels = new List<(int Seconds, int Level, bool Escalated)>();
        foreach (var seconds in new[] { 299, 300, 301, 899, 900, 2_000 })
        {
            var change = Assert.Single(AlertBook.Plan([alert], [Latency(AlertSeverities.Warning, 85)], T0.AddSeconds(seconds), Options));
            levels.Add((seconds, change.Alert.Level, change.Escalates));
            alert = change.Alert;
        }

        Assert.Equal([(299, 1, false), (300, 2, true), (301, 2, false), (899, 2, false), (900, 3, true), (2_000, 3, false)], levels);
        Assert.Equal(T0.AddSeconds(900), alert.EscalatedAt);
    }

    [Fact]
    public void An_alert_late_to_be_seen_escalates_straight_to_its_due_level()
    {
        var alert = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options)).Alert;

        var change = Assert.Single(AlertBook.Plan([alert], [Latency(AlertSeverities.Warning, 85)], T0.AddSeconds(1_000), Options));

        Assert.Equal(3, change.Alert.Level);
        Assert.Equal([AlertEvents.Escalated], change.Events);
    }

    [Fact]
    public void An_acknowledged_alert_stops_escalating_but_still_resolves()
    {
        var alert = Assert.Single(AlertBook.Plan([], [Latency(AlertSeverities.Warning, 85)], T0, Options)).Alert
            with { AcknowledgedBy = "ops", AcknowledgedAt = T0.AddSeconds(5) };

        var later = Assert.Single(AlertBook.Plan([alert], [Latency(AlertSeverities.Warning, 85)], T0.AddSeconds(5_000), Options));
        var resolved = Assert.Single(AlertBook.Plan([alert], [Latency(null, 10)], T0.AddSeconds(5_000), Options));

        Assert.Equal(1, later.Alert.Level);
        Assert.Empty(later.Events);
        Assert.Equal([AlertEvents.Resolved], resolved.Events);
    }

    [Fact]
    public void The_matrix_pages_engineers_and_operations_then_lead_and_cto_then_the_ceo()
    {
        Assert.Equal(["AI_ENGINEER", "OPERATOR"], EscalationMatrix.RolesOf(1));
        Assert.Equal(["LEAD_AI", "CTO"], EscalationMatrix.RolesOf(2));
        Assert.Equal(["CEO"], EscalationMatrix.RolesOf(3));
        Assert.Equal(["AI_ENGINEER", "OPERATOR", "LEAD_AI", "CTO", "CEO"], EscalationMatrix.PagedUpTo(3));
    }

    private static Judgement Latency(string? severity, double p95) => new(
        AlertKinds.LatencyP95, "digits:1", Model, "digits", 1, true,
        severity is null ? null : new Breach(severity, p95, severity == AlertSeverities.Critical ? 100 : 80, $"p95 {p95} ms"));
}
