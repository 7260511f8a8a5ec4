using Galaxy.Grains;
using Galaxy.Persistence.GroupCommit;
using Galaxy.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Each typed failure from the cluster, the registry or the request becomes its own problem: status, code and the
/// failure's own words; the ones worth a retry say when; anything else stays a 500.
/// </summary>
public sealed class GatewayExceptionHandlerTests
{
    public static TheoryData<Exception, int, string> Failures() => new()
    {
        { new BadHttpRequestException("too big", StatusCodes.Status413PayloadTooLarge), 413, "body-too-large" },
        { new BadHttpRequestException("no json", StatusCodes.Status415UnsupportedMediaType), 415, "unsupported-media-type" },
        { new BadHttpRequestException("broken"), 400, "malformed-request" },
        { new GalaxyKeyOutOfRangeException("Unit", 9, 8), 404, "unit-not-found" },
        { new InvalidUnitInputException("The input must hold 4 values, not 2."), 400, "invalid-input" },
        { new DatasetTooLargeException(1024), 413, "body-too-large" },
        { new ModelConflictException("digits"), 409, "model-exists" },
        { new DatasetConflictException("digits"), 409, "dataset-exists" },
        { new DatasetInUseException("digits", "version 3 of model digits"), 409, "dataset-in-use" },
        { new InvalidTrainingRequestException("Hidden must lie in 1…256."), 400, "invalid-training-request" },
        { new InvalidDeploymentException("The plan is out of range."), 400, "invalid-deployment" },
        { new DeploymentNotFoundException("No deployment has that id."), 404, "deployment-not-found" },
        { new DeploymentNotRollbackableException("It ended without serving."), 409, "not-rollbackable" },
        { new TrainingJobNotFoundException(Guid.Empty), 404, "training-job-not-found" },
        { new InvalidOptimizationException("Not a classifier."), 400, "invalid-optimization" },
        { new InvalidEvaluationException("Another number of features."), 400, "invalid-evaluation" },
        { new LabscapeOverloadedException("The labscape's queue is full."), 429, "overloaded" },
        { new RequestTimedOutException("The deadline passed."), 504, "deadline-exceeded" },
        { new StateNotPersistedException("PostgreSQL is away."), 503, "storage-unavailable" },
        { new StorageUnavailableException("PostgreSQL refused or could not be reached."), 503, "storage-unavailable" },
        { new OrleansException("activation failed", new StorageUnavailableException("PostgreSQL is away.")), 503, "storage-unavailable" },
        { new SiloUnavailableException("The silo is gone."), 503, "cluster-unavailable" },
        { new TimeoutException("No answer."), 504, "no-answer" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_typed_failure_becomes_its_own_problem(Exception failure, int status, string code)
    {
        var problem = GatewayExceptionHandler.ProblemFor(failure, new DefaultHttpContext());

        Assert.NotNull(problem);
        Assert.Equal(status, problem.StatusCode);
        Assert.Equal($"https://galaxy.dev/problems/{code}", problem.ProblemDetails.Type);
    }

    [Fact]
    public void A_failure_problem_carries_the_failures_own_words()
    {
        var failure = new InvalidDeploymentException("Labscape 3 is held by deployment 7.");

        var problem = GatewayExceptionHandler.ProblemFor(failure, new DefaultHttpContext());

        Assert.Equal("Labscape 3 is held by deployment 7.", problem!.ProblemDetails.Detail);
    }

    [Fact]
    public void An_untyped_failure_is_not_handled_and_stays_a_500()
    {
        Assert.Null(GatewayExceptionHandler.ProblemFor(new InvalidOperationException("a bug"), new DefaultHttpContext()));
        Assert.Null(GatewayExceptionHandler.ProblemFor(new OrleansException("not a storage failure"), new DefaultHttpContext()));
    }

    [Theory]
    [InlineData(typeof(LabscapeOverloadedException), 429)]
    [InlineData(typeof(StateNotPersistedException), 503)]
    public async Task A_failure_worth_a_retry_is_answered_with_retry_after(Type failure, int status)
    {
        var written = new WrittenProblems();
        var context = new DefaultHttpContext();

        var exception = (Exception)Activator.CreateInstance(failure, "retry shortly")!;

        var handled = await Handler(written).TryHandleAsync(context, exception, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(status, Assert.Single(written.Problems).Status);
    }

    [Fact]
    public async Task A_failure_not_worth_a_retry_has_no_retry_after()
    {
        var written = new WrittenProblems();
        var context = new DefaultHttpContext();

        var handled = await Handler(written).TryHandleAsync(context, new InvalidUnitInputException("bad input"), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(400, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task An_untyped_failure_is_left_to_the_default_500()
    {
        var written = new WrittenProblems();

        var handled = await Handler(written).TryHandleAsync(new DefaultHttpContext(), new InvalidOperationException("a bug"), CancellationToken.None);

        Assert.False(handled);
        Assert.Empty(written.Problems);
    }

    private static GatewayExceptionHandler Handler(WrittenProblems written) => new(written, NullLogger<GatewayExceptionHandler>.Instance);

    /// <summary>The problems the handler wrote, as the problem details service received them.</summary>
    private sealed class WrittenProblems : IProblemDetailsService
    {
        public List<ProblemDetails> Problems { get; } = [];

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            Problems.Add(context.ProblemDetails);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryWriteAsync(ProblemDetailsContext context)
        {
            Problems.Add(context.ProblemDetails);
            return ValueTask.FromResult(true);
        }
    }
}
