using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Gateway.Guardian;
using PuppeteerSharp;
using static Galaxy.Gateway.Tests.DashboardBrowser;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// A real browser on the dashboard: it signs in through the sign-in page, watches a served model's chart move under
/// load, reads the labscape heat map and the unit inspector, and, as the CEO, approves a pending version with a fresh
/// TOTP code. Screenshots go to <c>.galaxy/screenshots</c>.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DashboardBrowserTests(GatewayFixture fixture) : IAsyncLifetime
{
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
    public async Task A_browser_without_a_session_is_sent_to_sign_in()
    {
        await using var page = await _dashboard.Browser.NewPageAsync();

        await page.GoToAsync($"{_dashboard.Address}/dashboard/galaxy");

        Assert.StartsWith($"{_dashboard.Address}/signin?returnUrl=", page.Url, StringComparison.Ordinal);
        Assert.NotNull(await page.QuerySelectorAsync("input[name=password]"));
    }

    [ChromiumFact]
    public async Task An_operator_signs_in_and_sees_every_labscape_on_the_heat_map()
    {
        await using var page = await _dashboard.Browser.NewPageAsync();

        await _dashboard.SignInAsync(page, TestAccounts.Operator);
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#map .cell').length === {GalaxyTestCluster.Labscapes}", Patience);
        await page.SelectAsync("#figure", "learns");
        await page.WaitForFunctionAsync("() => Chart.getChart('chart-cpu')?.data.datasets.some(d => d.data.length >= 2)", Patience);
        await page.ScreenshotAsync(Path.Combine(Screenshots, "galaxy-operator.png"), new ScreenshotOptions { FullPage = true });

        Assert.Equal($"{_dashboard.Address}/dashboard/galaxy", page.Url);
        Assert.Contains("signed in as operator (OPERATOR)", await TextAsync(page, "#me"), StringComparison.Ordinal);
        Assert.Contains($"{GalaxyTestCluster.Labscapes} labscapes on", await TextAsync(page, "#map-summary"), StringComparison.Ordinal);
        // Operators read training and deployments, not the approvals, which the page says rather than failing.
        Assert.Contains("Approvals are for the CEO", await TextAsync(page, "#approvals"), StringComparison.Ordinal);
        Assert.Equal(2, await page.EvaluateExpressionAsync<int>("Chart.getChart('chart-latency').data.datasets.filter(d => d.label.startsWith('·')).length"));

        await page.GoToAsync($"{_dashboard.Address}/dashboard/");
        await page.ScreenshotAsync(Path.Combine(Screenshots, "orleans-dashboard.png"));
    }

    [ChromiumFact]
    public async Task A_served_models_throughput_and_latency_charts_move_under_load()
    {
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        await using var page = await _dashboard.Browser.NewPageAsync();
        await _dashboard.SignInAsync(page, TestAccounts.Operator);
        string OfModel(string chart) => $"Chart.getChart('{chart}')?.data.datasets.find(d => d.label.startsWith('{model}:'))";

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var load = DeploymentRequests.LoadAsync(fixture.Http, model, stop.Token);
        try
        {
            await page.WaitForFunctionAsync($"() => {OfModel("chart-throughput")}?.data.filter(p => p.y > 0).length >= 3", Patience);
            await page.WaitForFunctionAsync($"() => {OfModel("chart-latency")}?.data.some(p => p.y > 0)", Patience);
            await page.ScreenshotAsync(Path.Combine(Screenshots, "galaxy-under-load.png"), new ScreenshotOptions { FullPage = true });
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        var busiest = await page.EvaluateExpressionAsync<double>($"Math.max(...{OfModel("chart-throughput")}.data.map(p => p.y))");
        Assert.True(busiest > 0, $"the throughput chart never rose above zero ({busiest})");
    }

    [ChromiumFact]
    public async Task The_unit_inspector_draws_each_layers_weights_the_recent_loss_curve_and_the_lineage()
    {
        // A unit of the labscape that serves the deployed model, so that its version has a lineage.
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        var unit = DeploymentRequests.Labscape * GalaxyTestCluster.UnitsPerLabscape + 3;
        var architecture = (await (await fixture.Http.GetAsync($"/v1/units/{unit}")).JsonAsync()).GetProperty("architecture");
        var (inputs, outputs) = (architecture.GetProperty("inputs").GetInt32(), architecture.GetProperty("outputs").GetInt32());
        for (var step = 0; step < 5; step++)
        {
            var target = new float[outputs];
            target[step % outputs] = 1;
            (await fixture.Http.PostAsJsonAsync($"/v1/units/{unit}/learn", new { input = Enumerable.Repeat(0.25f, inputs).ToArray(), target }))
                .EnsureSuccessStatusCode();
        }

        await using var page = await _dashboard.Browser.NewPageAsync();
        await _dashboard.SignInAsync(page, TestAccounts.Operator, $"/dashboard/galaxy?unit={unit}");
        await page.WaitForFunctionAsync("() => Chart.getChart('chart-loss')?.data.datasets[0].data.length >= 5", Patience);
        await page.ScreenshotAsync(Path.Combine(Screenshots, "galaxy-unit-inspector.png"), new ScreenshotOptions { FullPage = true });

        Assert.Equal(4, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#unit-view canvas.weights').length"));
        Assert.Contains("parameters", await TextAsync(page, "#unit-view"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateExpressionAsync<bool>("Chart.getChart('chart-loss').data.datasets[0].data.every(p => Number.isFinite(p.y))"));
        var serving = (await (await fixture.Http.GetAsync($"/v1/units/{unit}")).JsonAsync()).GetProperty("modelVersion").GetString()!;
        Assert.StartsWith(model + ":", serving, StringComparison.Ordinal);
        Assert.StartsWith(serving + " · ", await TextAsync(page, "#unit-view ol li"), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task The_ceo_approves_a_pending_version_from_the_page_with_a_fresh_totp_code()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "dashboard");
        var requested = await fixture.Http.PostAsJsonAsync("/v1/guardian/approvals", new { model, reason = "the dashboard decides" });
        requested.EnsureSuccessStatusCode();
        var approval = (await requested.JsonAsync()).GetProperty("id").GetString()!;
        var form = $"form[data-approval='{approval}']";

        await using var page = await _dashboard.Browser.NewPageAsync();
        await _dashboard.SignInAsync(page, TestAccounts.DashboardCeo);
        await page.WaitForSelectorAsync(form, new WaitForSelectorOptions { Timeout = 30_000 });

        // A wrong code is refused by the sign-in the decision needs, and nothing is decided.
        await DecideAsync(page, form, "000000");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{form} .error\").textContent.length > 0", Patience);
        Assert.Equal("PENDING", await ApprovalStatusAsync(approval));

        // The session's sign-in spent this step's code: the decision signs in with the next one.
        await DecideAsync(page, form, Totp.Code(TestAccounts.TotpSecretOf(TestAccounts.DashboardCeo), DateTimeOffset.UtcNow.AddSeconds(Totp.StepSeconds)));
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{form}\") === null", Patience);
        await page.ScreenshotAsync(Path.Combine(Screenshots, "galaxy-ceo-approved.png"), new ScreenshotOptions { FullPage = true });

        Assert.Equal("APPROVED", await ApprovalStatusAsync(approval));
        var version = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/1")).JsonAsync();
        Assert.Equal("APPROVED", version.GetProperty("status").GetString());
    }

    private static async Task DecideAsync(IPage page, string form, string totp)
    {
        await page.EvaluateExpressionAsync($"document.querySelector(\"{form}\").reset()");
        await page.TypeAsync($"{form} input[name=password]", TestAccounts.PasswordOf(TestAccounts.DashboardCeo));
        await page.TypeAsync($"{form} input[name=totp]", totp);
        await page.TypeAsync($"{form} input[name=comment]", "approved from the dashboard");
        await page.ScreenshotAsync(Path.Combine(Screenshots, "galaxy-ceo-deciding.png"), new ScreenshotOptions { FullPage = true });
        await page.ClickAsync($"{form} button.approve");
    }

    private async Task<string> ApprovalStatusAsync(string approval)
    {
        foreach (var status in new[] { "PENDING", "APPROVED", "REJECTED" })
        {
            var listed = await (await fixture.Http.GetAsync($"/v1/guardian/approvals?status={status}&limit=1000")).JsonAsync();
            if (listed.GetProperty("items").EnumerateArray().Any(item => item.GetProperty("id").GetString() == approval))
            {
                return status;
            }
        }

        throw new InvalidOperationException($"Approval {approval} is not listed.");
    }
}
