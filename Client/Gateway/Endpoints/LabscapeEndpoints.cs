using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;

namespace Galaxy.Gateway.Endpoints;

internal static class LabscapeEndpoints
{
    public static RouteGroupBuilder MapLabscapeEndpoints(this IEndpointRouteBuilder routes)
    {
        var labscapes = routes.MapGroup("/v1/labscapes").WithTags("Labscapes").ProducesProblem(StatusCodes.Status504GatewayTimeout);
        labscapes.MapGet("/", ListLabscapes).RequireAuthorization(Permissions.Read)
            .WithName("ListLabscapes").WithSummary("The galaxy's labscapes and their unit ranges.");
        labscapes.MapGet("/{id}", GetLabscape).RequireAuthorization(Permissions.Read)
            .WithName("GetLabscape").WithSummary("A labscape's state and batching figures.");
        labscapes.MapPost("/{id}/predict", PredictMany).RequireAuthorization(Permissions.Predict).RequireRateLimiting(RateLimitGroups.Inference)
            .WithName("PredictLabscape").WithSummary("Predict with many of its units at once.");
        return labscapes;
    }

    public static RouteGroupBuilder MapGalaxyEndpoints(this IEndpointRouteBuilder routes)
    {
        var galaxy = routes.MapGroup("/v1/galaxy").WithTags("Galaxy").ProducesProblem(StatusCodes.Status504GatewayTimeout);
        galaxy.MapPost("/tick", Tick).RequireAuthorization(Permissions.Tick).RequireRateLimiting(RateLimitGroups.Inference).Audited("galaxy.tick")
            .WithName("Tick").WithSummary("One forward pass for every unit.");
        return galaxy;
    }

    private static async Task<Ok<LabscapeList>> ListLabscapes(TopologyCache topology)
    {
        var galaxy = await topology.GetAsync();
        var labscapes = Enumerable.Range(0, galaxy.Labscapes)
            .Select(id => new LabscapeSummary(id, (long)id * galaxy.UnitsPerLabscape, galaxy.UnitsPerLabscape))
            .ToArray();
        return TypedResults.Ok(new LabscapeList(galaxy.ToResponse(), labscapes));
    }

    private static async Task<Results<Ok<LabscapeResponse>, ProblemHttpResult>> GetLabscape(
        string id, IClusterClient cluster, TopologyCache topology)
    {
        if (RequestChecks.LabscapeId(id, await topology.GetAsync(), out var labscapeId) is { } problem)
        {
            return problem;
        }

        var labscape = cluster.GetLabscape(labscapeId);
        return TypedResults.Ok(new LabscapeResponse((await labscape.GetState()).ToResponse(), (await labscape.GetMetrics()).ToResponse()));
    }

    private static async Task<Results<Ok<BulkPredictResponse>, ProblemHttpResult>> PredictMany(
        string id, BulkPredictRequest request, IClusterClient cluster, TopologyCache topology)
    {
        var galaxy = await topology.GetAsync();
        var timeoutProblem = RequestChecks.Timeout(request.TimeoutMs, out var timeout);
        if ((RequestChecks.LabscapeId(id, galaxy, out var labscapeId)
             ?? timeoutProblem
             ?? CheckRows(request, galaxy, labscapeId)) is { } problem)
        {
            return problem;
        }

        var outputs = await cluster.GetLabscape(labscapeId).PredictMany(request.Units!, request.Inputs!, timeout);
        return TypedResults.Ok(new BulkPredictResponse(labscapeId, request.Units!, outputs));
    }

    private static async Task<Results<Ok<TickResponse>, ProblemHttpResult>> Tick(
        TickRequest request, IClusterClient cluster)
    {
        if (RequestChecks.Vector(request.Input, "input") is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok((await cluster.GetGrain<IGalaxyGrain>(0).Tick(request.Input!)).ToResponse());
    }

    private static ProblemHttpResult? CheckRows(BulkPredictRequest request, GalaxyTopology galaxy, int labscapeId)
    {
        if (request.Units is not { Length: > 0 } units || request.Inputs is not { } inputs)
        {
            return Problems.InvalidInput("'units' and 'inputs' are required, one input row per unit.");
        }

        if (units.Length != inputs.Length || units.Length > galaxy.UnitsPerLabscape)
        {
            return Problems.InvalidInput(
                $"{units.Length} units and {inputs.Length} input rows: they must match, at most {galaxy.UnitsPerLabscape}.");
        }

        for (var i = 0; i < units.Length; i++)
        {
            if (!galaxy.ContainsUnit(units[i]) || galaxy.LabscapeOf(units[i]) != labscapeId)
            {
                return Problems.InvalidInput($"Unit {units[i]} is not in labscape {labscapeId}.");
            }

            if (RequestChecks.Vector(inputs[i], $"inputs[{i}]") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
