using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using PuppeteerSharp;
using static Galaxy.Gateway.Tests.DashboardBrowser;

namespace Galaxy.Gateway.Tests;

/// <summary>The dashboard's model figures carry each model's own thresholds, the ones its alerts fire at.</summary>
[Collection(MonitoredGatewayCollection.Name)]
public sealed class ModelThresholdsOnTheDashboardTests(MonitoredGatewayFixture fixture)
{
    [Fact]
    public async Task A_served_models_thresholds_set_through_the_api_are_the_limits_its_charts_are_given()
    {
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        (await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", new
        {
            // Limits no traffic of these tests breaks, so that no alert outlives this test.
            latencyP95WarningMs = 4_000, latencyP95CriticalMs = 6_000, accuracyWarning = 0.9, accuracyCritical = 0.85, throughputWarning = 2, throughputCritical = 1,
        })).EnsureSuccessStatusCode();

        // The page's read samples at most once a second: the thresholds come with the next sample.
        var waited = Stopwatch.StartNew();
        JsonElement figures, thresholds;
        do
        {
            await Task.Delay(250);
            figures = await (await fixture.Http.GetAsync("/dashboard/galaxy/models")).JsonAsync();
            thresholds = figures.GetProperty("versions").EnumerateArray().First(version => version.GetProperty("model").GetString() == model).GetProperty("thresholds");
        }
        while (thresholds.GetProperty("isDefault").GetBoolean() && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.False(thresholds.GetProperty("isDefault").GetBoolean());
        Assert.Equal((4_000.0, 6_000.0, "above"), Limits(thresholds, "latencyP95Ms"));
        Assert.Equal((90.0, 85.0, "below"), Limits(thresholds, "accuracyPercent"));
        Assert.Equal((2.0, 1.0, "below"), Limits(thresholds, "throughputPerSecond"));
        // The seed's stay beside them, for a model without its own.
        Assert.Equal((80.0, 100.0, "above"), Limits(figures.GetProperty("thresholds"), "latencyP95Ms"));
    }

    private static (double Warning, double Critical, string? Direction) Limits(JsonElement thresholds, string figure)
    {
        var limit = thresholds.GetProperty(figure);
        return (limit.GetProperty("warning").GetDouble(), limit.GetProperty("critical").GetDouble(), limit.GetProperty("direction").GetString());
    }
}

/// <summary>
/// A real browser on the dashboard's alerts panel: a served model's latency thresholds set below what loopback inference
/// can meet, under real traffic, fire a critical alert that the page shows, with the model's own limit drawn on its
/// latency chart; thresholds it cannot breach resolve it and the page shows it gone. Screenshots of both.
/// </summary>
[Collection(MonitoredGatewayCollection.Name)]
public sealed class AlertDashboardBrowserTests(MonitoredGatewayFixture fixture) : IAsyncLifetime
{
    private static readonly WaitForFunctionOptions AlertPatience = new() { Timeout = 90_000, PollingInterval = 250 };

    private DashboardBrowser _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await DashboardBrowser.StartAsync(fixture.Gateway);

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task An_operator_watches_a_latency_alert_fire_on_the_page_and_resolve()
    {
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        var subject = $"{model}:1 latency-p95";
        (await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", new
        {
            latencyP95WarningMs = 0.0005, latencyP95CriticalMs = 0.001, throughputWarning = 0, throughputCritical = 0,
        })).EnsureSuccessStatusCode();
        await using var page = await _dashboard.Browser.NewPageAsync();
        await _dashboard.SignInAsync(page, TestAccounts.Operator);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var load = DeploymentRequests.LoadAsync(fixture.Http, model, stop.Token);
        try
        {
            await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#alerts tr')].some(row => row.textContent.includes('{subject}'))", AlertPatience);
            await page.WaitForFunctionAsync($"() => {LimitLine(model, "critical 0.001")}", Patience);
            await ScreenshotAsync(page, "galaxy-alert-firing.png");
            var row = await page.EvaluateExpressionAsync<string>(
                $"[...document.querySelectorAll('#alerts tr')].find(row => row.textContent.includes('{subject}')).textContent");
            Assert.StartsWith("critical", row, StringComparison.Ordinal);
            Assert.Contains("(limit 0.001)", row, StringComparison.Ordinal);

            (await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", new
            {
                latencyP95WarningMs = 60_000, latencyP95CriticalMs = 60_000, throughputWarning = 0, throughputCritical = 0,
            })).EnsureSuccessStatusCode();
            await page.WaitForFunctionAsync(
                $"() => !document.getElementById('alerts').textContent.includes('{subject}') && {LimitLine(model, "critical 60000")}",
                AlertPatience);
            await ScreenshotAsync(page, "galaxy-alert-resolved.png");
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        var alerts = await (await fixture.Http.GetAsync("/v1/alerts?limit=1000")).JsonAsync();
        var latest = alerts.GetProperty("items").EnumerateArray()
            .Where(alert => alert.GetProperty("subject").GetString() == $"{model}:1" && alert.GetProperty("kind").GetString() == "latency-p95")
            .MaxBy(alert => alert.GetProperty("firedAt").GetDateTimeOffset());
        Assert.Equal("resolved", latest.GetProperty("state").GetString());
    }

    /// <summary>
    /// Whether the latency chart draws <paramref name="model"/>'s limit <paramref name="limit"/> (<c>critical 0.001</c>): a
    /// line named after the models whose limit it is ("·a, b critical 0.001"), which other models may share.
    /// </summary>
    private static string LimitLine(string model, string limit) =>
        $"Chart.getChart('chart-latency')?.data.datasets.some(d => d.label.startsWith('·') && d.label.endsWith(' {limit}') && d.label.slice(1).split(/, | (?=warning|critical)/).includes('{model}'))";
}
