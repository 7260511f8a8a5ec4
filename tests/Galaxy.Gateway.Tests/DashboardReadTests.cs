using System.Net;
using System.Net.Http.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>The reads the Galaxy page polls, asked directly: what they answer, and their problems.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DashboardReadTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_served_versions_figures_gain_a_point_with_its_throughput_once_it_is_asked_again_after_inference()
    {
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        await fixture.Http.GetAsync("/dashboard/galaxy/models");

        // The gateway reports a version's figures to its monitor once a second; the dashboard reads them at most as often.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        double busiest = 0;
        System.Text.Json.JsonElement figures;
        do
        {
            for (var i = 0; i < 20; i++)
            {
                (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = new float[16] })).EnsureSuccessStatusCode();
            }

            figures = await (await fixture.Http.GetAsync("/dashboard/galaxy/models")).JsonAsync();
            var version = figures.GetProperty("versions").EnumerateArray().First(v => v.GetProperty("model").GetString() == model);
            busiest = version.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("throughput").GetDouble()).DefaultIfEmpty(0).Max();
        }
        while (busiest == 0 && waited.Elapsed < TimeSpan.FromSeconds(30));

        Assert.True(busiest > 0, "no point of the served version shows its inference");
        var latency = figures.GetProperty("thresholds").GetProperty("latencyP95Ms");
        Assert.Equal((80.0, 100.0, "above"), (latency.GetProperty("warning").GetDouble(), latency.GetProperty("critical").GetDouble(), latency.GetProperty("direction").GetString()));
        // A model without thresholds of its own is drawn against the seed's.
        var own = figures.GetProperty("versions").EnumerateArray().First(v => v.GetProperty("model").GetString() == model).GetProperty("thresholds");
        Assert.True(own.GetProperty("isDefault").GetBoolean());
        Assert.Equal((98.0, 97.5), (own.GetProperty("accuracyPercent").GetProperty("warning").GetDouble(), own.GetProperty("accuracyPercent").GetProperty("critical").GetDouble()));
    }

    [Fact]
    public async Task Silos_report_their_resource_use_against_the_seeds_limits()
    {
        var silos = await (await fixture.Http.GetAsync("/dashboard/galaxy/silos")).JsonAsync();

        Assert.NotEmpty(silos.GetProperty("silos").EnumerateArray());
        Assert.All(silos.GetProperty("silos").EnumerateArray(), silo => Assert.Equal("Active", silo.GetProperty("status").GetString()));
        Assert.Equal(80, silos.GetProperty("thresholds").GetProperty("cpuPercent").GetDouble());
        Assert.Equal(90, silos.GetProperty("thresholds").GetProperty("memoryPercent").GetDouble());
    }

    [Fact]
    public async Task Labscapes_name_their_silo_and_count_their_learns()
    {
        const int unit = 2;
        // Reading the unit activates it and its labscape, which the map lists only once active.
        var architecture = (await (await fixture.Http.GetAsync($"/v1/units/{unit}")).JsonAsync()).GetProperty("architecture");
        var labscapes = await (await fixture.Http.GetAsync("/dashboard/galaxy/labscapes")).JsonAsync();
        var before = labscapes.EnumerateArray().First().GetProperty("metrics").GetProperty("learns").GetInt64();
        var target = new float[architecture.GetProperty("outputs").GetInt32()];
        target[0] = 1;
        (await fixture.Http.PostAsJsonAsync($"/v1/units/{unit}/learn", new { input = new float[architecture.GetProperty("inputs").GetInt32()], target }))
            .EnsureSuccessStatusCode();

        labscapes = await (await fixture.Http.GetAsync("/dashboard/galaxy/labscapes")).JsonAsync();

        var first = labscapes.EnumerateArray().First().GetProperty("metrics");
        Assert.Equal(before + 1, first.GetProperty("learns").GetInt64());
        Assert.StartsWith("S127.0.0.1:", first.GetProperty("silo").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestAccounts.Ceo, true, true)]
    [InlineData(TestAccounts.LeadAi, true, false)]
    [InlineData(TestAccounts.Operator, false, false)]
    public async Task The_page_learns_what_the_signed_in_role_may_do_with_approvals(string account, bool mayRead, bool mayDecide)
    {
        using var client = await fixture.ClientForAsync(account);

        var me = await (await client.GetAsync("/dashboard/galaxy/me")).JsonAsync();

        Assert.Equal(account, me.GetProperty("subject").GetString());
        Assert.Equal((mayRead, mayDecide), (me.GetProperty("mayReadApprovals").GetBoolean(), me.GetProperty("mayDecideApprovals").GetBoolean()));
    }

    [Theory]
    [InlineData("/dashboard/galaxy/static/galaxy.css", HttpStatusCode.NotFound)]
    [InlineData("/dashboard/galaxy/static/..%2Fgalaxy.html", HttpStatusCode.NotFound)]
    [InlineData("/dashboard/galaxy/units/abc", HttpStatusCode.BadRequest)]
    [InlineData("/dashboard/galaxy/units/99999", HttpStatusCode.NotFound)]
    public async Task Bad_dashboard_reads_get_problem_details(string path, HttpStatusCode expected)
    {
        var response = await fixture.Http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_chart_library_is_served_by_the_gateway_with_its_licence_header()
    {
        var response = await fixture.Http.GetAsync("/dashboard/galaxy/static/chart.umd.min.js");

        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("/*!\n * Chart.js v4.6.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
