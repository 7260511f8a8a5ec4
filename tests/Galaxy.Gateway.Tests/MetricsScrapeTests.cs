using System.Net;
using System.Net.Http.Json;
using Galaxy.Testing;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// <c>GET /metrics</c> as an operator's Prometheus scrapes it: the series docs/observability.md names are there, in
/// OpenTelemetry's names and units, and they move with the requests that go through the gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MetricsScrapeTests(GatewayFixture fixture)
{
    private const int Predicts = 40;
    private const int Inferences = 10;

    private static readonly float[] Input = new float[16];

    [Fact]
    public async Task A_scrape_holds_the_named_series_and_they_move_under_load()
    {
        using var operatorClient = await fixture.ClientForAsync(TestAccounts.Operator);
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        (await fixture.Http.PostAsJsonAsync("/v1/units/2/learn", new { input = Input, target = new float[4] })).EnsureSuccessStatusCode();
        var before = await ScrapeAsync(operatorClient);

        for (var i = 0; i < Predicts; i++)
        {
            (await fixture.Http.PostAsJsonAsync($"/v1/units/{i % 8}/predict", new { input = Input })).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < Inferences; i++)
        {
            (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = Input })).EnsureSuccessStatusCode();
        }

        // The exporter answers a scrape from a copy it keeps for a moment; the figures move once it is renewed. (ASP.NET
        // Core's own series are per host, and other gateway hosts of this test process may own them, so the wait is on
        // the labscapes' histogram, which one process has once, as in production.)
        var after = await UntilAsync(operatorClient, scrape =>
            scrape.Sum("galaxy_labscape_request_duration_seconds_count") >= before.Sum("galaxy_labscape_request_duration_seconds_count") + Predicts + Inferences);

        Assert.All(
            new[]
            {
                "dotnet_gc_collections_total",
                "dotnet_thread_pool_queue_length_total", "dotnet_monitor_lock_contentions_total", "dotnet_gc_pause_time_seconds_total", "galaxy_labscape_batch_size_bucket",
                "galaxy_labscape_queue_duration_seconds_bucket", "galaxy_labscape_kernel_duration_seconds_bucket",
                "galaxy_storage_commit_duration_seconds_bucket", "galaxy_storage_commit_batch_size_bucket",
                "galaxy_deployment_transitions_total", "galaxy_deployment_canary_share",
            },
            series => Assert.True(after.Has(series), $"no {series} in the scrape"));
        Assert.Contains(after.Text.Split('\n'), line => line.StartsWith("orleans_", StringComparison.Ordinal));
        var succeeded = $"galaxy_model=\"{model}\"";
        Assert.True(
            after.Sum("galaxy_inference_requests_total", succeeded, "outcome=\"success\"") >= before.Sum("galaxy_inference_requests_total", succeeded, "outcome=\"success\"") + Inferences,
            "the inferences were not counted per model");
        Assert.True(after.Sum("galaxy_inference_duration_seconds_count", succeeded) >= Inferences);
    }

    [Fact]
    public async Task A_sampled_request_leaves_its_trace_id_as_an_exemplar_in_an_OpenMetrics_scrape()
    {
        using var operatorClient = await fixture.ClientForAsync(TestAccounts.Operator);
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var inference = new HttpRequestMessage(HttpMethod.Post, $"/v1/models/{model}/inference") { Content = JsonContent.Create(new { features = Input }) };
        inference.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        (await fixture.Http.SendAsync(inference)).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        do
        {
            using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            scrape.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
            text = await (await operatorClient.SendAsync(scrape)).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
            if (text.Contains($"trace_id=\"{traceId}\"", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains(text.Split('\n'), line => line.StartsWith("galaxy_inference_", StringComparison.Ordinal) && line.Contains($"trace_id=\"{traceId}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_operators_read_the_metrics()
    {
        using var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.ClientWithApiKey((await fixture.CreateApiKeyAsync("metrics")).Key).GetAsync("/metrics")).StatusCode);
    }

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    private static async Task<PrometheusScrape> UntilAsync(HttpClient client, Func<PrometheusScrape, bool> moved)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var scrape = await ScrapeAsync(client);
            if (moved(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, "the scrape did not move in 30 s");
            await Task.Delay(200);
        }
    }
}
