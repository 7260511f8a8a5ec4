using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>A gateway whose galaxy's monitor measures and judges every second, and looks for its monitor every second.</summary>
public sealed class MonitoredGatewayFixture() : GatewayFixture(new Dictionary<string, string?>
{
    ["Galaxy:Monitoring:IntervalSeconds"] = "1",
    ["Galaxy:ControlPlane:ResumeCheckSeconds"] = "1",
});

[CollectionDefinition(Name)]
public sealed class MonitoredGatewayCollection : ICollectionFixture<MonitoredGatewayFixture>
{
    public const string Name = "monitored gateway";
}

/// <summary>
/// Alerts from real inference through the gateway: thresholds set low enough that loopback latency breaks them fire an
/// alert that is listed, acknowledged and, once the thresholds are the seed's again, resolved; the performance report
/// shows the traffic; and a critical alert on a canary rolls its deployment back long before its own analysis is due.
/// </summary>
[Collection(MonitoredGatewayCollection.Name)]
public sealed class AlertFlowTests(MonitoredGatewayFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly object Unbreakable = new { latencyP95WarningMs = 60_000, latencyP95CriticalMs = 60_000, throughputWarning = 0, throughputCritical = 0 };
    private static readonly object Tiny = new { latencyP95WarningMs = 0.0005, latencyP95CriticalMs = 0.001, throughputWarning = 0, throughputCritical = 0 };

    [Fact]
    public async Task A_latency_breach_fires_is_reported_acknowledged_and_resolves()
    {
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        (await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", Tiny)).EnsureSuccessStatusCode();

        var alert = await UntilAsync(() => FiringAsync(model, $"{model}:1"), model);
        Assert.Equal(("critical", 1), (alert.GetProperty("severity").GetString(), alert.GetProperty("level").GetInt32()));
        Assert.Equal(["AI_ENGINEER", "OPERATOR"], alert.GetProperty("notified").EnumerateArray().Select(role => role.GetString()));

        var report = await (await fixture.Http.GetAsync($"/v1/monitoring/report?model={model}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"))}")).JsonAsync();
        var version = Assert.Single(report.GetProperty("versions").EnumerateArray());
        Assert.Equal($"{model}:1", version.GetProperty("key").GetString());
        Assert.True(version.GetProperty("total").GetProperty("requests").GetInt64() > 0);
        Assert.True(version.GetProperty("total").GetProperty("latencyP95Ms").GetDouble() > 0);
        Assert.Equal(0.001, version.GetProperty("thresholds").GetProperty("latencyP95CriticalMs").GetDouble());
        Assert.NotEmpty(report.GetProperty("silos").EnumerateArray());

        var id = alert.GetProperty("id").GetString()!;
        var acknowledged = await (await fixture.ClientForAsync(TestAccounts.Operator)).PostAsJsonAsync($"/v1/alerts/{id}/acknowledge", new { comment = "mine" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

        (await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", Unbreakable)).EnsureSuccessStatusCode();
        var resolved = await UntilAsync(async () =>
        {
            var now = await (await fixture.Http.GetAsync($"/v1/alerts/{id}")).JsonAsync();
            return now.GetProperty("state").GetString() == "resolved" ? now : (JsonElement?)null;
        }, model);
        Assert.Equal("operator", resolved.GetProperty("acknowledgedBy").GetString());
        var audit = await MonitoringRequests.AuditAboutAsync(await fixture.ClientForAsync(TestAccounts.Ceo), id);
        Assert.Equal(["alert.acknowledge", "alert.acknowledged", "alert.fired", "alert.resolved"], audit.Select(row => row.Action).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_critical_alert_on_a_canary_rolls_its_deployment_back_before_its_first_analysis()
    {
        const int labscape = 2;
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "canary-alarm", validationAccuracy: 0.99);
        var stable = await DeployToAsync(model, labscape, new { steps = new[] { 100 } });
        await DeploymentRequests.WaitAsync(fixture.Http, stable, status => status == "SUCCEEDED");
        (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions", DeploymentRequests.Version(0.99, seed: 2))).EnsureSuccessStatusCode();
        (await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", Tiny)).EnsureSuccessStatusCode();

        // An analysis an hour away: only the alert can end this canary within the test.
        var canary = await DeployToAsync(model, labscape, new { steps = new[] { 50, 100 }, intervalSeconds = 3_600, minSamples = 1 });
        await DeploymentRequests.WaitAsync(fixture.Http, canary, status => status == "PROGRESSING");
        var done = await UntilAsync(async () =>
        {
            var deployment = await (await fixture.Http.GetAsync($"/v1/deployments/{canary}")).JsonAsync();
            return deployment.GetProperty("status").GetString() == "PROGRESSING" ? (JsonElement?)null : deployment;
        }, model);

        Assert.Equal("ROLLED_BACK", done.GetProperty("status").GetString());
        var failed = done.GetProperty("analyses").EnumerateArray().Last();
        Assert.False(failed.GetProperty("passed").GetBoolean());
        Assert.Contains("on the canary", failed.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var version = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/2")).JsonAsync();
        Assert.Equal("ROLLED_BACK", version.GetProperty("status").GetString());
    }

    private async Task<string> DeployToAsync(string model, int labscape, object canary)
    {
        var response = await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/deployments", new { labscapes = new[] { labscape }, canary, reason = "alerts" });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement?> FiringAsync(string model, string subject)
    {
        var page = await (await fixture.Http.GetAsync("/v1/alerts?state=firing&limit=1000")).JsonAsync();
        return page.GetProperty("items").EnumerateArray()
            .Where(alert => alert.GetProperty("kind").GetString() == "latency-p95" && alert.GetProperty("subject").GetString() == subject)
            .Cast<JsonElement?>()
            .FirstOrDefault();
    }

    /// <summary>Predicts with <paramref name="model"/> until <paramref name="found"/> finds what it looks for, within <see cref="Bound"/>.</summary>
    private async Task<JsonElement> UntilAsync(Func<Task<JsonElement?>> found, string model)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            for (var i = 0; i < 20; i++)
            {
                await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = new float[16] });
            }

            if (await found() is { } result)
            {
                return result;
            }

            if (waited.Elapsed > Bound)
            {
                var logged = await fixture.Galaxy.Database.ScalarAsync<long>("SELECT count(*) FROM galaxy_performance_logs");
                var silos = await fixture.Galaxy.Database.ScalarAsync<long>("SELECT count(*) FROM galaxy_resource_logs");
                var alerts = await fixture.Galaxy.Database.ScalarAsync<long>("SELECT count(*) FROM galaxy_alerts");
                Assert.Fail($"not seen within {Bound.TotalSeconds} s; the monitor logged {logged} version intervals, {silos} silo readings and {alerts} alerts");
            }
        }
    }
}
