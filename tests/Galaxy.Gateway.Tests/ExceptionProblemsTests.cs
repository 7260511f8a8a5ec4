using System.Text.Json;
using Galaxy.Grains;
using Galaxy.Persistence.GroupCommit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Every typed failure a request can end in is answered with its problem: status, stable code, and Retry-After where a
/// retry will help; a failure nobody typed is left to the 500 path.
/// </summary>
public sealed class ExceptionProblemsTests
{
    public static TheoryData<string, int, string, bool> Failures => new()
    {
        { "unreadable body", 400, "malformed-request", false },
        { "body over the limit", 413, "body-too-large", false },
        { "body of another media type", 415, "unsupported-media-type", false },
        { "unit out of range", 404, "unit-not-found", false },
        { "invalid evaluation", 400, "invalid-evaluation", false },
        { "queue full", 429, "overloaded", true },
        { "deadline passed", 504, "deadline-exceeded", false },
        { "state not persisted", 503, "storage-unavailable", true },
        { "storage unreadable", 503, "storage-unavailable", true },
        { "storage unreadable during activation", 503, "storage-unavailable", true },
        { "silo gone", 503, "cluster-unavailable", true },
        { "no answer", 504, "no-answer", false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_typed_failure_is_answered_with_its_problem(string failure, int status, string code, bool retryAfter)
    {
        var context = NewContext();

        var handled = await Handler().TryHandleAsync(context, FailureNamed(failure), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(retryAfter, context.Response.Headers.RetryAfter.Count > 0);
        using var problem = await ProblemOf(context);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_failure_nobody_typed_is_left_to_the_500_path_and_nothing_is_written()
    {
        var context = NewContext();

        var handled = await Handler().TryHandleAsync(context, new InvalidOperationException("a bug"), CancellationToken.None);

        Assert.False(handled);
        Assert.Equal(0, context.Response.Body.Length);
    }

    private static Exception FailureNamed(string failure) => failure switch
    {
        "unreadable body" => new BadHttpRequestException("bad json", StatusCodes.Status400BadRequest),
        "body over the limit" => new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge),
        "body of another media type" => new BadHttpRequestException("not json", StatusCodes.Status415UnsupportedMediaType),
        "unit out of range" => new GalaxyKeyOutOfRangeException("Unit", 5_000_000, 1_048_576),
        "invalid evaluation" => new InvalidEvaluationException("The dataset has 3 features; the version takes 64."),
        "queue full" => new LabscapeOverloadedException("The labscape's queue is full."),
        "deadline passed" => new RequestTimedOutException("The request's deadline passed."),
        "state not persisted" => new StateNotPersistedException("The write failed."),
        "storage unreadable" => StorageUnavailableException.ForRead("units 0…4095", new TimeoutException()),
        "storage unreadable during activation" => new OrleansException(
            "Activation failed.", StorageUnavailableException.ForRead("unit 7", new TimeoutException())),
        "silo gone" => new SiloUnavailableException("The silo is gone."),
        "no answer" => new TimeoutException("No response in 30 s."),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "no such failure in this test"),
    };

    private static readonly ServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    private static GatewayExceptionHandler Handler() =>
        new(Services.GetRequiredService<IProblemDetailsService>(), NullLogger<GatewayExceptionHandler>.Instance);

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Path = "/v1/units/7/predict";
        context.Request.Headers.Accept = "application/json";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<JsonDocument> ProblemOf(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return await JsonDocument.ParseAsync(context.Response.Body);
    }
}
