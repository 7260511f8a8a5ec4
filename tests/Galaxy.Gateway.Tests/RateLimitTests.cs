using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// A second gateway on the same cluster and signing key, allowing three inference requests per principal and hour (and,
/// in one test each, three model registry requests or two training jobs).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RateLimitTests(GatewayFixture fixture) : IAsyncLifetime
{
    private static readonly float[] Input = new float[16];

    private WebApplicationFactory<Program> _strict = null!;

    public Task InitializeAsync()
    {
        _strict = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:RateLimits:Inference:PermitLimit", "3"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _strict.DisposeAsync();

    [Fact]
    public async Task The_fourth_inference_request_in_the_window_is_a_429_with_Retry_After()
    {
        using var client = ClientWithKey((await fixture.CreateApiKeyAsync("limited")).Key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/v1/units/6/predict", new { input = Input })).StatusCode);
        }

        var refused = await client.PostAsJsonAsync("/v1/units/6/predict", new { input = Input });

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.True(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds is >= 1 and <= 3_600);
        Assert.Equal("rate-limited", await TokenTests.CodeOfAsync(refused));
    }

    [Fact]
    public async Task Each_principal_has_its_own_allowance()
    {
        using var spender = ClientWithKey((await fixture.CreateApiKeyAsync("spender")).Key);
        using var other = ClientWithKey((await fixture.CreateApiKeyAsync("other")).Key);
        for (var i = 0; i < 4; i++)
        {
            await spender.PostAsJsonAsync("/v1/units/6/predict", new { input = Input });
        }

        var response = await other.PostAsJsonAsync("/v1/units/6/predict", new { input = Input });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reads_are_not_counted_against_inference()
    {
        using var client = _strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await fixture.ClientForAsync(TestAccounts.AiEngineer)).DefaultRequestHeaders.Authorization;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetAsync("/v1/units/6")));

        Assert.All(statuses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task Models_and_datasets_share_one_allowance_per_principal()
    {
        await using var strict = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:RateLimits:Models:PermitLimit", "3"));
        using var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await fixture.ClientForAsync(TestAccounts.Operator)).DefaultRequestHeaders.Authorization;

        var allowed = new[] { await client.GetAsync("/v1/models"), await client.GetAsync("/v1/datasets"), await client.GetAsync("/v1/models") };
        var refused = await client.GetAsync("/v1/datasets");

        Assert.All(allowed, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await TokenTests.CodeOfAsync(refused));
    }

    [Fact]
    public async Task Starting_training_jobs_has_its_own_allowance_and_following_them_is_not_counted()
    {
        var (model, dataset) = await TrainingRequests.ModelAndDatasetAsync(fixture.Http, "limited");
        await using var strict = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:RateLimits:Training:PermitLimit", "2"));
        using var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await fixture.ClientForAsync(TestAccounts.AiEngineer)).DefaultRequestHeaders.Authorization;

        var allowed = new[]
        {
            await client.PostAsJsonAsync("/v1/training/jobs", TrainingRequests.TinyJob(model, dataset)),
            await client.PostAsJsonAsync("/v1/training/jobs", TrainingRequests.TinyJob(model, dataset)),
        };
        var reads = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync("/v1/training/jobs")));
        var refused = await client.PostAsJsonAsync("/v1/training/jobs", TrainingRequests.TinyJob(model, dataset));

        Assert.All(allowed, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        Assert.All(reads, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await TokenTests.CodeOfAsync(refused));
    }

    [Fact]
    public async Task Optimization_has_its_own_allowance()
    {
        var (model, _) = await OptimizationRequests.TrainedAsync(fixture.Http);
        await using var strict = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:RateLimits:Optimization:PermitLimit", "2"));
        using var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await fixture.ClientForAsync(TestAccounts.AiEngineer)).DefaultRequestHeaders.Authorization;

        var allowed = new[]
        {
            await client.PostAsJsonAsync("/v1/optimization/analyze", OptimizationRequests.QuickAnalysis(model)),
            await client.PostAsJsonAsync($"/v1/models/{model}/versions/1/optimize", new { technique = "int8" }),
        };
        var reads = await client.GetAsync($"/v1/models/{model}/versions");
        var refused = await client.PostAsJsonAsync("/v1/optimization/analyze", OptimizationRequests.QuickAnalysis(model));

        Assert.Equal(HttpStatusCode.OK, allowed[0].StatusCode);
        Assert.Equal(HttpStatusCode.Created, allowed[1].StatusCode);
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate-limited", await TokenTests.CodeOfAsync(refused));
    }

    private HttpClient ClientWithKey(string apiKey)
    {
        var client = _strict.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
