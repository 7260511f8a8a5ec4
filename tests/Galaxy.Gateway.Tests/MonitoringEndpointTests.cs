using System.Net;
using System.Net.Http.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>The monitoring and alert routes' answers to bad and good requests that need no traffic: problems, not 5xx.</summary>
[Collection(GatewayCollection.Name)]
public sealed class MonitoringEndpointTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("/v1/monitoring/report?from=2026-12-01T12:00:00Z&to=2026-12-01T11:00:00Z")]
    [InlineData("/v1/monitoring/report?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z")]
    [InlineData("/v1/monitoring/report?stepSeconds=3")]
    [InlineData("/v1/monitoring/report?stepSeconds=-10")]
    [InlineData("/v1/monitoring/report?from=yesterday")]
    [InlineData("/v1/alerts?state=burning")]
    [InlineData("/v1/alerts?severity=mild")]
    [InlineData("/v1/alerts?limit=0")]
    [InlineData("/v1/alerts/deliveries?status=lost")]
    public async Task Bad_queries_are_400_problems(string query)
    {
        var response = await fixture.Http.GetAsync(query);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/v1/monitoring/report?model=no-such-model", "model-not-found")]
    [InlineData("/v1/monitoring/thresholds/no-such-model", "model-not-found")]
    [InlineData("/v1/alerts/not-a-guid", "alert-not-found")]
    [InlineData("/v1/alerts/00000000-0000-0000-0000-000000000001", "alert-not-found")]
    public async Task What_does_not_exist_is_a_404_problem(string path, string code)
    {
        var response = await fixture.Http.GetAsync(path);

        Assert.Equal(code, (await AssertProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_model_has_the_seeds_thresholds_until_some_are_set_and_bad_ones_are_refused()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "thresholds");

        var seed = await (await fixture.Http.GetAsync($"/v1/monitoring/thresholds/{model}")).JsonAsync();
        var contradictory = await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", new { latencyP95WarningMs = 120, latencyP95CriticalMs = 100 });
        var negative = await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", new { throughputCritical = -5 });
        var wrongType = await fixture.Http.PutAsync(
            $"/v1/monitoring/thresholds/{model}", new StringContent("""{"accuracyWarning":"high"}""", System.Text.Encoding.UTF8, "application/json"));
        var set = await fixture.Http.PutAsJsonAsync($"/v1/monitoring/thresholds/{model}", new { latencyP95WarningMs = 40, latencyP95CriticalMs = 60 });
        var read = await (await fixture.Http.GetAsync($"/v1/monitoring/thresholds/{model}")).JsonAsync();

        Assert.Equal((80.0, 100.0, 0.98, 0.975, 1000.0, 500.0, true), Thresholds(seed));
        await AssertProblemAsync(contradictory, HttpStatusCode.BadRequest);
        await AssertProblemAsync(negative, HttpStatusCode.BadRequest);
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal((40.0, 60.0, 0.98, 0.975, 1000.0, 500.0, false), Thresholds(read));
        Assert.Equal("lead_ai", read.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task An_alert_is_acknowledged_once_by_a_person_with_the_audit_row_and_a_second_time_is_a_conflict()
    {
        var alert = await MonitoringRequests.AlertAsync(fixture.Galaxy);
        var operatorClient = await fixture.ClientForAsync(TestAccounts.Operator);

        var tooLong = await operatorClient.PostAsJsonAsync($"/v1/alerts/{alert}/acknowledge", new { comment = new string('x', 1_001) });
        var first = await operatorClient.PostAsJsonAsync($"/v1/alerts/{alert}/acknowledge", new { comment = "looking" });
        var second = await fixture.Http.PostAsJsonAsync($"/v1/alerts/{alert}/acknowledge", new { comment = "me too" });
        var read = await (await fixture.Http.GetAsync($"/v1/alerts/{alert}")).JsonAsync();

        await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("alert-already-acknowledged", (await AssertProblemAsync(second, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(("operator", "looking"), (read.GetProperty("acknowledgedBy").GetString(), read.GetProperty("acknowledgeComment").GetString()));
        var rows = await MonitoringRequests.AuditAboutAsync(await fixture.ClientForAsync(TestAccounts.Ceo), alert.ToString());
        Assert.Contains(("monitor", "alert.fired"), rows);
        Assert.Contains(("operator", "alert.acknowledged"), rows);
        Assert.Contains(("operator", "alert.acknowledge"), rows);
    }

    private static (double, double, double, double, double, double, bool) Thresholds(System.Text.Json.JsonElement thresholds) => (
        thresholds.GetProperty("latencyP95WarningMs").GetDouble(), thresholds.GetProperty("latencyP95CriticalMs").GetDouble(),
        thresholds.GetProperty("accuracyWarning").GetDouble(), thresholds.GetProperty("accuracyCritical").GetDouble(),
        thresholds.GetProperty("throughputWarning").GetDouble(), thresholds.GetProperty("throughputCritical").GetDouble(),
        thresholds.GetProperty("isDefault").GetBoolean());

    private static async Task<System.Text.Json.JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.JsonAsync();
    }
}
