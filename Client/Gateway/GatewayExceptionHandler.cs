using Microsoft.AspNetCore.Diagnostics;
using Galaxy.Persistence.GroupCommit;
using Galaxy.Registry;
using Orleans.Runtime;

namespace Galaxy.Gateway;

/// <summary>
/// Turns the request's, the cluster's and the registry's typed failures into problem details: unreadable body 400,
/// 413 or 415, unknown id 404, invalid input or dataset 400, a taken name, an illegal status change or a dataset in use
/// 409, If-Match not met 412, full queue 429, missed deadline or no answer 504, unreachable cluster or storage 503
/// (those two and 429 with Retry-After). Anything else stays a 500, logged.
/// </summary>
internal sealed class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var result = ProblemFor(exception, context);
        if (result is null)
        {
            return false;
        }

        if (result.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning(exception, "Cluster unavailable for {Path}", context.Request.Path);
        }

        if (result.StatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.StatusCode = result.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = result.ProblemDetails,
            Exception = exception,
        });
    }

    /// <summary>The problem a typed failure is answered with (REST and GraphQL alike); null for a failure that stays a 500.</summary>
    public static ProblemHttpResult? ProblemFor(Exception exception, HttpContext context)
    {
        // Orleans reports a storage read that failed during a grain's activation wrapped in an OrleansException.
        var cause = exception is OrleansException { InnerException: StorageUnavailableException inner } ? inner : exception;
        return cause switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problems.BodyTooLarge(BodyLimit.For(context)),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => Problems.UnsupportedMediaType("application/json"),
            BadHttpRequestException bad => Problems.Create(
                bad.StatusCode, "malformed-request", "Malformed request", "The request body is not valid JSON of the expected shape."),
            GalaxyKeyOutOfRangeException missing => Problems.Create(
                StatusCodes.Status404NotFound, $"{missing.Kind.ToLowerInvariant()}-not-found", $"No such {missing.Kind.ToLowerInvariant()}", missing.Message),
            InvalidUnitInputException invalid => Problems.InvalidInput(invalid.Message),
            InvalidRegistryInputException invalid => Problems.InvalidRegistryInput(invalid),
            CsvDatasetException invalid => Problems.InvalidDataset(invalid),
            DatasetTooLargeException tooLarge => Problems.BodyTooLarge(tooLarge.MaxBytes),
            Registry.PersonalData.PersonalDataException personal => Problems.PersonalData(personal),
            RegistryNotFoundException missing => Problems.RegistryNotFound(missing),
            ModelConflictException taken => Problems.Conflict("model-exists", "Model name taken", taken.Message),
            DatasetConflictException taken => Problems.Conflict("dataset-exists", "Dataset name taken", taken.Message),
            DatasetInUseException inUse => Problems.Conflict("dataset-in-use", "Dataset in use", inUse.Message),
            IllegalTransitionException illegal => Problems.IllegalTransition(illegal),
            InvalidTrainingRequestException invalid => Problems.InvalidTrainingRequest(invalid.Message),
            InvalidDeploymentException invalid => Problems.InvalidDeployment(invalid.Message),
            DeploymentNotFoundException missing => Problems.DeploymentNotFound(missing.Message),
            DeploymentNotRollbackableException ended => Problems.Conflict("not-rollbackable", "Nothing to roll back", ended.Message),
            TrainingJobNotFoundException missing => Problems.TrainingJobNotFound(missing.Message),
            InvalidOptimizationException invalid => Problems.InvalidOptimization(invalid.Message),
            InvalidEvaluationException invalid => Problems.Create(
                StatusCodes.Status400BadRequest, "invalid-evaluation", "The dataset does not fit the version", invalid.Message),
            LabscapeOverloadedException overloaded => Problems.Create(
                StatusCodes.Status429TooManyRequests, "overloaded", "Too many requests queued", overloaded.Message),
            RevisionMismatchException mismatch => Problems.RevisionMismatch(mismatch),
            RequestTimedOutException timedOut => Problems.Create(
                StatusCodes.Status504GatewayTimeout, "deadline-exceeded", "Deadline exceeded", timedOut.Message),
            StateNotPersistedException => Problems.Create(
                StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage is unavailable",
                "The change could not be made durable and was not applied; retry shortly."),
            StorageUnavailableException unreadable => Problems.Create(
                StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage is unavailable", unreadable.Message),
            SiloUnavailableException or OrleansMessageRejectionException =>
                Problems.ClusterUnavailable("The request could not reach the silo that serves it; retry shortly."),
            TimeoutException => Problems.Create(
                StatusCodes.Status504GatewayTimeout, "no-answer", "The cluster did not answer in time",
                "The request may or may not have taken effect. Predicts and reads can be retried; retry a learn with "
                + "If-Match set to the revision it started from, so that it is applied at most once."),
            _ => null,
        };
    }
}
