using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;

namespace Galaxy.Gateway.Endpoints;

internal static class UnitEndpoints
{
    public static RouteGroupBuilder MapUnitEndpoints(this IEndpointRouteBuilder routes)
    {
        var units = routes.MapGroup("/v1/units").WithTags("Units").ProducesProblem(StatusCodes.Status504GatewayTimeout);
        units.MapGet("/{id}", GetUnit).RequireAuthorization(Permissions.Read)
            .WithName("GetUnit").WithSummary("A unit as it serves: its version, its weights, its counters; its ETag is its revision.");
        units.MapPost("/{id}/predict", Predict).RequireAuthorization(Permissions.Predict).RequireRateLimiting(RateLimitGroups.Inference)
            .WithName("PredictUnit").WithSummary("The unit's outputs for one input.");
        units.MapPost("/{id}/learn", Learn).RequireAuthorization(Permissions.Learn).RequireRateLimiting(RateLimitGroups.Inference).Audited("unit.learn")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("LearnUnit").WithSummary("One durable SGD step toward a target; with If-Match, only from that revision.");
        units.MapPost("/{id}/reset", Reset).RequireAuthorization(Permissions.Reset).Audited("unit.reset")
            .WithName("ResetUnit").WithSummary("Drops the unit's own weights: it serves its labscape's version (or its seeded initial model) again.");
        return units;
    }

    private static async Task<Results<Ok<UnitResponse>, ProblemHttpResult>> GetUnit(
        string id, HttpResponse response, IClusterClient cluster, TopologyCache topology)
    {
        if (RequestChecks.UnitId(id, await topology.GetAsync(), out var unitId) is { } problem)
        {
            return problem;
        }

        var unit = await cluster.GetUnit(unitId).Describe();
        response.Headers.ETag = UnitETag.For(unit.State.Revision);
        return TypedResults.Ok(unit.ToResponse());
    }

    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> Predict(
        string id, PredictRequest request, IClusterClient cluster, TopologyCache topology)
    {
        var galaxy = await topology.GetAsync();
        var timeoutProblem = RequestChecks.Timeout(request.TimeoutMs, out var timeout);
        if ((RequestChecks.UnitId(id, galaxy, out var unitId)
             ?? RequestChecks.Vector(request.Input, "input")
             ?? timeoutProblem) is { } problem)
        {
            return problem;
        }

        var output = await cluster.GetUnit(unitId).Predict(request.Input!, timeout);
        return TypedResults.Ok(new PredictResponse(unitId, output));
    }

    private static async Task<Results<Ok<LearnResponse>, ProblemHttpResult>> Learn(
        string id, LearnRequest request, HttpContext context, IClusterClient cluster, TopologyCache topology)
    {
        var galaxy = await topology.GetAsync();
        var timeoutProblem = RequestChecks.Timeout(request.TimeoutMs, out var timeout);
        var ifMatchProblem = RequestChecks.IfMatchRevision(context.Request, out var expectedRevision);
        if ((RequestChecks.UnitId(id, galaxy, out var unitId)
             ?? RequestChecks.Vector(request.Input, "input")
             ?? RequestChecks.Vector(request.Target, "target")
             ?? timeoutProblem
             ?? ifMatchProblem) is { } problem)
        {
            return problem;
        }

        var receipt = await cluster.GetUnit(unitId).Learn(request.Input!, request.Target!, timeout, expectedRevision);
        context.Response.Headers.ETag = UnitETag.For(receipt.Revision);
        return receipt.Applied
            ? TypedResults.Ok(new LearnResponse(unitId, receipt.Loss, receipt.Revision, receipt.Learns))
            : Problems.StepRejected(unitId);
    }

    private static async Task<Results<Ok<UnitResponse>, ProblemHttpResult>> Reset(
        string id, IClusterClient cluster, TopologyCache topology)
    {
        if (RequestChecks.UnitId(id, await topology.GetAsync(), out var unitId) is { } problem)
        {
            return problem;
        }

        var unit = cluster.GetUnit(unitId);
        await unit.Reset();
        return TypedResults.Ok((await unit.Describe()).ToResponse());
    }
}
