namespace Galaxy.Gateway.Endpoints;

internal static class UnitEndpoints
{
    public static RouteGroupBuilder MapUnitEndpoints(this IEndpointRouteBuilder routes)
    {
        var units = routes.MapGroup("/v1/units").WithTags("Units");
        units.MapGet("/{id}", GetUnit).WithName("GetUnit").WithSummary("A unit's persisted state.");
        return units;
    }

    private static async Task<Results<Ok<UnitState>, ProblemHttpResult>> GetUnit(
        string id, IClusterClient cluster, TopologyCache topology)
    {
        if (!GalaxyIds.TryParse(id, out var unitId))
        {
            return Problems.InvalidId("unit", id);
        }

        var galaxy = await topology.GetAsync();
        if (!galaxy.ContainsUnit(unitId))
        {
            return Problems.NotFound("unit", unitId, galaxy.UnitCount);
        }

        return TypedResults.Ok(await cluster.GetGrain<IAiUnitGrain>(unitId).GetState());
    }
}
