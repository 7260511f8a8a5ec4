using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace Galaxy.Gateway;

/// <summary>
/// Turns the cluster's failures into problem details: a grain that says an id does not exist is a 404, a cluster
/// that cannot be reached, or storage that cannot persist, is a 503 with Retry-After. Anything else stays a 500, logged.
/// </summary>
internal sealed class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            GalaxyKeyOutOfRangeException missing => Problems.Create(
                StatusCodes.Status404NotFound, $"{missing.Kind.ToLowerInvariant()}-not-found", $"No such {missing.Kind.ToLowerInvariant()}", missing.Message),
            StateNotPersistedException => Problems.Create(
                StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage is unavailable",
                "The change could not be made durable and was not applied; retry shortly."),
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException =>
                Problems.ClusterUnavailable("The cluster did not answer in time; retry shortly."),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }

        if (result.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning(exception, "Cluster unavailable for {Path}", context.Request.Path);
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
}
