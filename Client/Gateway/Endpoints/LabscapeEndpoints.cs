namespace Galaxy.Gateway.Endpoints;

internal static class LabscapeEndpoints
{
    public static RouteGroupBuilder MapLabscapeEndpoints(this IEndpointRouteBuilder routes)
    {
        var labscapes = routes.MapGroup("/v1/labscapes").WithTags("Labscapes");
        labscapes.MapGet("/{id}", GetLabscape).WithName("GetLabscape").WithSummary("A labscape's persisted state.");
        return labscapes;
    }

    private static async Task<Results<Ok<LabscapeState>, ProblemHttpResult>> GetLabscape(
        string id, IClusterClient cluster, TopologyCache topology)
    {
        if (!GalaxyIds.TryParse(id, out var labscapeId))
        {
            return Problems.InvalidId("labscape", id);
        }

        var galaxy = await topology.GetAsync();
        if (!galaxy.ContainsLabscape(labscapeId))
        {
            return Problems.NotFound("labscape", labscapeId, galaxy.Labscapes);
        }

        return TypedResults.Ok(await cluster.GetGrain<ILabscapeGrain>(labscapeId).GetState());
    }
}
