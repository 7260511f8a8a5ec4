using System.Net;

namespace Galaxy.Client.Tests;

public sealed class GalaxyClientTests
{
    private const string PredictJson = """{"unitId":7,"output":[0.5,0.25,0,1]}""";
    private const string LearnJson = """{"unitId":7,"loss":0.5,"revision":3,"learns":3}""";

    [Fact]
    public async Task A_429_is_retried_after_the_gateways_Retry_After()
    {
        var gateway = new ScriptedGateway(
            () => ScriptedGateway.Problem(HttpStatusCode.TooManyRequests, "overloaded", TimeSpan.Zero),
            () => ScriptedGateway.Problem(HttpStatusCode.ServiceUnavailable, "cluster-unavailable", TimeSpan.Zero),
            () => ScriptedGateway.Json(HttpStatusCode.OK, PredictJson));

        var output = await gateway.Client().PredictAsync(7, new float[16]);

        Assert.Equal([0.5f, 0.25f, 0f, 1f], output);
        Assert.Equal(3, gateway.Requests.Count);
    }

    [Fact]
    public async Task When_retries_run_out_the_call_fails_with_the_wait_the_gateway_asked_for()
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Problem(HttpStatusCode.TooManyRequests, "rate-limited", TimeSpan.Zero));

        var failure = await Assert.ThrowsAsync<GalaxyUnavailableException>(() =>
            gateway.Client(new GalaxyClientOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1) }).PredictAsync(7, new float[16]));

        Assert.Equal("rate-limited", failure.Code);
        Assert.Equal(TimeSpan.Zero, failure.RetryAfter);
        Assert.Equal(3, gateway.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_limit_is_not_waited_for()
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Problem(HttpStatusCode.TooManyRequests, "rate-limited", TimeSpan.FromHours(1)));

        await Assert.ThrowsAsync<GalaxyUnavailableException>(() => gateway.Client().PredictAsync(7, new float[16]));

        Assert.Single(gateway.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalid-input", typeof(GalaxyInvalidRequestException))]
    [InlineData(HttpStatusCode.UnprocessableEntity, "step-rejected", typeof(GalaxyInvalidRequestException))]
    [InlineData(HttpStatusCode.Unauthorized, "unauthenticated", typeof(GalaxyAuthenticationException))]
    [InlineData(HttpStatusCode.Forbidden, "forbidden", typeof(GalaxyForbiddenException))]
    [InlineData(HttpStatusCode.NotFound, "unit-not-found", typeof(GalaxyNotFoundException))]
    [InlineData(HttpStatusCode.GatewayTimeout, "deadline-exceeded", typeof(GalaxyUnavailableException))]
    [InlineData(HttpStatusCode.InternalServerError, "internal-error", typeof(GalaxyApiException))]
    public async Task Problems_become_typed_exceptions_with_their_code(HttpStatusCode status, string code, Type expected)
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Problem(status, code));

        var failure = await Assert.ThrowsAnyAsync<GalaxyApiException>(() => gateway.Client().GetUnitAsync(1));

        Assert.IsType(expected, failure);
        Assert.Equal(code, failure.Code);
        Assert.Equal(status, failure.Status);
        Assert.Single(gateway.Requests);
    }

    [Fact]
    public async Task An_API_key_goes_in_its_header()
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Json(HttpStatusCode.OK, PredictJson));

        await gateway.Client(new GalaxyClientOptions { ApiKey = "gxk_secret" }).PredictAsync(7, new float[16]);

        Assert.Equal("gxk_secret", gateway.Requests[0].Headers.GetValues("X-Api-Key").Single());
    }

    [Fact]
    public async Task After_sign_in_calls_carry_the_bearer_token()
    {
        var gateway = new ScriptedGateway(
            () => ScriptedGateway.Json(HttpStatusCode.OK, """{"accessToken":"jwt","tokenType":"Bearer","expiresIn":3600,"refreshToken":"r","refreshExpiresIn":7200,"role":"LEAD_AI"}"""),
            () => ScriptedGateway.Json(HttpStatusCode.OK, PredictJson));
        var client = gateway.Client();

        await client.SignInAsync("lead", "password");
        await client.PredictAsync(7, new float[16]);

        Assert.Null(gateway.Requests[0].Headers.Authorization);
        Assert.Equal("Bearer jwt", gateway.Requests[1].Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task A_token_about_to_expire_is_refreshed_first()
    {
        var gateway = new ScriptedGateway(
            () => ScriptedGateway.Json(HttpStatusCode.OK, """{"accessToken":"old","tokenType":"Bearer","expiresIn":30,"refreshToken":"r1","refreshExpiresIn":7200,"role":"LEAD_AI"}"""),
            () => ScriptedGateway.Json(HttpStatusCode.OK, """{"accessToken":"new","tokenType":"Bearer","expiresIn":3600,"refreshToken":"r2","refreshExpiresIn":7200,"role":"LEAD_AI"}"""),
            () => ScriptedGateway.Json(HttpStatusCode.OK, PredictJson));
        var client = gateway.Client();

        await client.SignInAsync("lead", "password");
        await client.PredictAsync(7, new float[16]);

        Assert.EndsWith("/v1/auth/refresh", gateway.Requests[1].RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("Bearer new", gateway.Requests[2].Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task A_conditional_learn_sends_If_Match_and_a_412_names_the_units_revision()
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Json(
            HttpStatusCode.PreconditionFailed, """{"status":412,"code":"revision-mismatch","title":"t","detail":"d","revision":6}""",
            "application/problem+json"));

        var mismatch = await Assert.ThrowsAsync<GalaxyRevisionMismatchException>(
            () => gateway.Client().LearnAsync(7, new float[16], new float[4], expectedRevision: 5));

        Assert.Equal("\"5\"", gateway.Requests[0].Headers.IfMatch.Single().Tag);
        Assert.Equal(6, mismatch.CurrentRevision);
        Assert.Equal("revision-mismatch", mismatch.Code);
    }

    [Fact]
    public async Task An_unconditional_learn_is_not_repeated_after_a_503_since_it_may_have_landed()
    {
        var gateway = new ScriptedGateway(
            () => ScriptedGateway.Problem(HttpStatusCode.ServiceUnavailable, "cluster-unavailable", TimeSpan.Zero),
            () => ScriptedGateway.Json(HttpStatusCode.OK, LearnJson));

        await Assert.ThrowsAsync<GalaxyUnavailableException>(() => gateway.Client().LearnAsync(7, new float[16], new float[4]));

        Assert.Single(gateway.Requests);
    }

    [Fact]
    public async Task An_unconditional_learn_is_repeated_after_a_429_and_a_conditional_one_after_a_503()
    {
        var refused = new ScriptedGateway(
            () => ScriptedGateway.Problem(HttpStatusCode.TooManyRequests, "overloaded", TimeSpan.Zero),
            () => ScriptedGateway.Json(HttpStatusCode.OK, LearnJson));
        var unavailable = new ScriptedGateway(
            () => ScriptedGateway.Problem(HttpStatusCode.ServiceUnavailable, "cluster-unavailable", TimeSpan.Zero),
            () => ScriptedGateway.Json(HttpStatusCode.OK, LearnJson));

        var afterRefusal = await refused.Client().LearnAsync(7, new float[16], new float[4]);
        var afterOutage = await unavailable.Client().LearnAsync(7, new float[16], new float[4], expectedRevision: 2);

        Assert.Equal(3, afterRefusal.Revision);
        Assert.Equal(3, afterOutage.Revision);
        Assert.Equal(2, refused.Requests.Count);
        Assert.Equal(2, unavailable.Requests.Count);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Json(HttpStatusCode.OK, PredictJson));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.Client().PredictAsync(7, new float[16], cancellationToken: cancelled.Token));
    }
}
