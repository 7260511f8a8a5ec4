using System.Net;
using System.Net.Http.Json;
using Galaxy.Gateway.Overload;
using Galaxy.Gateway.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Tests;

/// <summary>The gateway's bound on data-plane requests in flight: the excess is a 503 with Retry-After, at once.</summary>
[Collection(GatewayCollection.Name)]
public sealed class InFlightLimitTests(GatewayFixture fixture)
{
    private static readonly float[] Input = new float[16];

    [Fact]
    public async Task A_predict_beyond_the_limit_is_a_503_with_Retry_After_and_the_next_one_after_a_release_passes()
    {
        var held = new TaskCompletionSource();
        var limit = Middleware(limit: 1, retryAfterSeconds: 2, next: context => context.Request.Path == "/held" ? held.Task : Task.CompletedTask);

        var first = Request("/held", RateLimitGroups.Inference);
        var holding = limit.InvokeAsync(first);
        var refused = Request("/refused", RateLimitGroups.Inference);
        await limit.InvokeAsync(refused);
        held.SetResult();
        await holding;
        var after = Request("/after", RateLimitGroups.Inference);
        await limit.InvokeAsync(after);

        Assert.Equal(StatusCodes.Status200OK, first.Response.StatusCode);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, refused.Response.StatusCode);
        Assert.Equal("2", refused.Response.Headers.RetryAfter.ToString());
        Assert.Equal(StatusCodes.Status200OK, after.Response.StatusCode);
    }

    [Fact]
    public async Task Control_plane_requests_are_never_shed()
    {
        var held = new TaskCompletionSource();
        var limit = Middleware(limit: 1, retryAfterSeconds: 1, next: context => context.Request.Path == "/held" ? held.Task : Task.CompletedTask);

        var holding = limit.InvokeAsync(Request("/held", RateLimitGroups.Inference));
        var models = Request("/models", RateLimitGroups.Models);
        await limit.InvokeAsync(models);
        var unlimited = Request("/health", policy: null);
        await limit.InvokeAsync(unlimited);
        held.SetResult();
        await holding;

        Assert.Equal(StatusCodes.Status200OK, models.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, unlimited.Response.StatusCode);
    }

    [Fact]
    public async Task A_burst_through_the_real_gateway_is_served_or_refused_with_503_and_Retry_After_and_nothing_else()
    {
        await using var narrow = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:InFlight:Limit", "1"));
        using var client = narrow.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", (await fixture.CreateApiKeyAsync("burst")).Key);

        // Every request awaits a grain call, so 64 sent at once overlap on a limit of one.
        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => client.PostAsJsonAsync($"/v1/units/{i % 32}/predict", new { input = Input })));

        var refused = responses.Where(response => response.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.OK);
        Assert.NotEmpty(refused);
        foreach (var response in refused)
        {
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Equal("gateway-overloaded", await TokenTests.CodeOfAsync(response));
        }
    }

    [Fact]
    public async Task A_limit_below_one_stops_the_gateway_at_start()
    {
        await using var broken = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:InFlight:Limit", "0"));

        var refused = Assert.ThrowsAny<Exception>(() => broken.CreateClient());

        Assert.Contains("Limit", refused.ToString(), StringComparison.Ordinal);
    }

    private static InFlightLimit Middleware(int limit, int retryAfterSeconds, RequestDelegate next) =>
        new(next, Options.Create(new InFlightOptions { Limit = limit, RetryAfterSeconds = retryAfterSeconds }));

    private static DefaultHttpContext Request(string path, string? policy)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        var metadata = policy is null ? new EndpointMetadataCollection() : new EndpointMetadataCollection(new EnableRateLimitingAttribute(policy));
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, metadata, path));
        return context;
    }
}
