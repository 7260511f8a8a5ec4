using System.Text.Json;
using Galaxy.Registry.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>
/// Alerts in PostgreSQL, as the silo's monitor evaluates them and the gateway acknowledges them, on a clock the tests
/// move: one alert per breach, its audit rows, its deliveries to every webhook, escalation by age, and the
/// acknowledgement that stops it.
/// </summary>
public sealed class AlertStoreTests(MonitoringDatabase database) : IClassFixture<MonitoringDatabase>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly MonitoringOptions _options = new()
    {
        Webhooks =
        [
            new WebhookOptions { Name = "pager", Url = "http://127.0.0.1:9/pager", Secret = "0123456789abcdef" },
            new WebhookOptions { Name = "slack", Url = "http://127.0.0.1:9/slack", Secret = "fedcba9876543210", Format = WebhookFormat.Slack },
        ],
    };

    [Fact]
    public async Task A_breach_that_goes_on_is_one_alert_audited_once_and_queued_once_per_webhook()
    {
        var clock = MonitoringDatabase.Clock();
        var model = await database.NewModelAsync("fires");
        var evaluator = Evaluator(clock);

        await evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 85)], [], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 90)], [], CancellationToken.None);

        var alert = Assert.Single(await AlertsOfAsync(model));
        Assert.Equal((AlertSeverities.Warning, AlertStates.Firing, 1, 90.0), (alert.Severity, alert.State, alert.Level, alert.Value));
        var audit = Assert.Single(await database.AuditOfAsync(alert.Id));
        Assert.Equal((AlertStore.Monitor, "alert.fired"), (audit.Principal, audit.Action));
        Assert.Contains($"latency-p95 {model.Name}:1 warning level 1", audit.Target, StringComparison.Ordinal);
        var deliveries = await DeliveriesOfAsync(alert.Id);
        Assert.Equal(["pager", "slack"], deliveries.Select(delivery => delivery.Webhook).Order());
        Assert.All(deliveries, delivery => Assert.Equal((AlertEvents.Fired, "pending", 0), (delivery.Event, delivery.Status, delivery.Attempts)));

        var pager = JsonSerializer.Deserialize<AlertEvent>(await PayloadAsync(alert.Id, "pager"), Json)!;
        Assert.Equal((AlertEvents.Fired, alert.Id, model.Name), (pager.Event, pager.Alert.Id, pager.Alert.Model));
        Assert.Equal(["AI_ENGINEER", "OPERATOR"], pager.Notify);
        using var slack = JsonDocument.Parse(await PayloadAsync(alert.Id, "slack"));
        Assert.StartsWith("[WARNING] latency-p95", slack.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("mrkdwn", slack.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unacknowledged_alert_escalates_by_age_each_step_audited_and_an_acknowledgement_stops_it()
    {
        var clock = MonitoringDatabase.Clock();
        var model = await database.NewModelAsync("escalates");
        var evaluator = Evaluator(clock);
        var breach = () => evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 150)], [], CancellationToken.None);

        await breach();
        clock.Advance(TimeSpan.FromSeconds(299));
        await breach();
        var atLevel1 = Assert.Single(await AlertsOfAsync(model));
        clock.Advance(TimeSpan.FromSeconds(1));
        await breach();
        var atLevel2 = Assert.Single(await AlertsOfAsync(model));

        var acknowledged = await new AlertStore(database.Gateway, _options, clock).AcknowledgeAsync(atLevel2.Id, "carol", "on it", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3_600));
        await breach();
        var afterwards = Assert.Single(await AlertsOfAsync(model));

        Assert.Equal(1, atLevel1.Level);
        Assert.Equal((2, MonitoringDatabase.Clock().GetUtcNow().AddSeconds(300)), (atLevel2.Level, atLevel2.EscalatedAt));
        Assert.Equal(("carol", "on it"), (acknowledged!.AcknowledgedBy, acknowledged.AcknowledgeComment));
        Assert.Equal((2, "carol", AlertStates.Firing), (afterwards.Level, afterwards.AcknowledgedBy, afterwards.State));
        var audit = await database.AuditOfAsync(atLevel2.Id);
        Assert.Equal(["alert.fired", "alert.escalated", "alert.acknowledged"], audit.Select(row => row.Action));
        Assert.Contains("escalated to LEAD_AI, CTO", audit[1].Target, StringComparison.Ordinal);
        Assert.Equal(("carol", true), (audit[2].Principal, audit[2].Target.EndsWith("acknowledged: on it", StringComparison.Ordinal)));
        Assert.Equal(
            [AlertEvents.Escalated, AlertEvents.Escalated, AlertEvents.Fired, AlertEvents.Fired],
            (await DeliveriesOfAsync(atLevel2.Id)).Select(delivery => delivery.Event).Order());
        await Assert.ThrowsAsync<AlertAlreadyAcknowledgedException>(() =>
            new AlertStore(database.Gateway, _options, clock).AcknowledgeAsync(atLevel2.Id, "dave", null, CancellationToken.None));
    }

    [Fact]
    public async Task Left_alone_an_alert_reaches_the_ceo_at_level_3()
    {
        var clock = MonitoringDatabase.Clock();
        var model = await database.NewModelAsync("reaches-ceo");
        var evaluator = Evaluator(clock);

        var start = clock.GetUtcNow();
        foreach (var seconds in new[] { 0, 300, 900 })
        {
            clock.SetUtcNow(start.AddSeconds(seconds));
            await evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 150)], [], CancellationToken.None);
        }

        var alert = Assert.Single(await AlertsOfAsync(model));
        Assert.Equal(3, alert.Level);
        var pager = (await PayloadsAsync(alert.Id, "pager")).Select(payload => JsonSerializer.Deserialize<AlertEvent>(payload, Json)!).ToList();
        Assert.Equal(["AI_ENGINEER,OPERATOR", "LEAD_AI,CTO", "CEO"], pager.Select(sent => string.Join(",", sent.Notify)));
    }

    [Fact]
    public async Task A_figure_back_within_its_limit_resolves_the_alert_and_a_new_breach_is_a_new_alert()
    {
        var clock = MonitoringDatabase.Clock();
        var model = await database.NewModelAsync("resolves");
        var evaluator = Evaluator(clock);

        await evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 120)], [], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 20)], [], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await evaluator.EvaluateAsync([MonitoringDatabase.Interval(model, clock.GetUtcNow(), 20_000, 85)], [], CancellationToken.None);

        var alerts = await AlertsOfAsync(model);
        Assert.Equal(
            [(AlertSeverities.Critical, AlertStates.Resolved), (AlertSeverities.Warning, AlertStates.Firing)],
            alerts.OrderBy(alert => alert.FiredAt).Select(alert => (alert.Severity, alert.State)));
        var resolved = alerts.Single(alert => alert.State == AlertStates.Resolved);
        Assert.Equal(MonitoringDatabase.Clock().GetUtcNow().AddSeconds(10), resolved.ResolvedAt);
        Assert.Equal(["alert.fired", "alert.resolved"], (await database.AuditOfAsync(resolved.Id)).Select(row => row.Action));
    }

    [Fact]
    public async Task Two_monitors_firing_the_same_breach_make_one_alert()
    {
        var clock = MonitoringDatabase.Clock();
        var model = await database.NewModelAsync("deduplicated");
        var judgement = new Judgement(AlertKinds.LatencyP95, $"{model.Name}:1", model.Id, model.Name, 1, true, new Breach(AlertSeverities.Warning, 85, 80, "p95"));
        var first = AlertBook.Plan([], [judgement], clock.GetUtcNow(), _options).Single();
        var second = AlertBook.Plan([], [judgement], clock.GetUtcNow(), _options).Single();
        var store = new AlertStore(database.Silo, _options, clock);

        var applied = await Task.WhenAll(store.ApplyAsync(first, CancellationToken.None), store.ApplyAsync(second, CancellationToken.None));

        Assert.Equal([false, true], applied.Order());
        Assert.Single(await AlertsOfAsync(model));
    }

    private AlertEvaluator Evaluator(FakeTimeProvider clock) =>
        new(new ThresholdStore(database.Silo, clock), new AlertStore(database.Silo, _options, clock), _options, clock);

    private async Task<List<AlertRow>> AlertsOfAsync(ModelInfo model) =>
        (await new AlertStore(database.Gateway, _options, TimeProvider.System).ListAsync(null, null, 0, 1_000, CancellationToken.None))
            .Items.Where(alert => alert.ModelId == model.Id).ToList();

    private async Task<List<DeliveryRow>> DeliveriesOfAsync(Guid alert) =>
        (await new AlertDeliveries(database.Gateway).ListAsync(null, 0, 1_000, CancellationToken.None)).Items.Where(row => row.AlertId == alert).ToList();

    private async Task<string> PayloadAsync(Guid alert, string webhook) => Assert.Single(await PayloadsAsync(alert, webhook));

    private async Task<List<string>> PayloadsAsync(Guid alert, string webhook)
    {
        await using var command = database.Owner.CreateCommand(
            "SELECT payload::text FROM galaxy_alert_deliveries WHERE alert_id = $1 AND webhook = $2 ORDER BY created_at, delivery_id");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = alert });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = webhook });
        await using var reader = await command.ExecuteReaderAsync();
        var payloads = new List<string>();
        while (await reader.ReadAsync())
        {
            payloads.Add(reader.GetString(0));
        }

        return payloads;
    }
}
