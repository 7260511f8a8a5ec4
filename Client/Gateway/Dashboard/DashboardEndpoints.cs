using System.Security.Claims;
using Galaxy.Contracts;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;

namespace Galaxy.Gateway.Dashboard;

/// <summary>
/// The operators' dashboard: Orleans's own at <c>/dashboard</c> (silos, grains, grain state), the Galaxy page at
/// <c>/dashboard/galaxy</c> (the labscapes' load and batching, a unit inspector), and the sign-in that turns a bearer
/// token into the browser session both use.
/// </summary>
internal static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapGalaxyDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapOrleansDashboard(routePrefix: DashboardSession.PathPrefix).RequireAuthorization(Permissions.Dashboard);

        var galaxy = routes.MapGroup(DashboardSession.PathPrefix + "/galaxy").RequireAuthorization(Permissions.Dashboard).ExcludeFromDescription();
        galaxy.MapGet("/", () => Page("galaxy.html"));
        galaxy.MapGet("/labscapes", Labscapes);
        galaxy.MapGet("/units/{id}", Unit);

        routes.MapGet("/signin", () => Page("signin.html")).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/signin/session", StartSession).ExcludeFromDescription()
            .RequireAuthorization(new AuthorizeAttribute(Permissions.Dashboard) { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme });
        return routes;
    }

    /// <summary>Every labscape's batching figures, asked of all labscapes at once.</summary>
    private static async Task<Ok<LabscapeLoad[]>> Labscapes(IClusterClient cluster, TopologyCache topology)
    {
        var galaxy = await topology.GetAsync();
        var loads = await Task.WhenAll(Enumerable.Range(0, galaxy.Labscapes).Select(async id =>
            new LabscapeLoad(id, (await cluster.GetLabscape(id).GetMetrics()).ToResponse())));
        return TypedResults.Ok(loads);
    }

    private static async Task<Results<Ok<UnitResponse>, ProblemHttpResult>> Unit(string id, IClusterClient cluster, TopologyCache topology)
    {
        if (Endpoints.RequestChecks.UnitId(id, await topology.GetAsync(), out var unitId) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok((await cluster.GetUnit(unitId).Describe()).ToResponse());
    }

    /// <summary>The dashboard session carries the token's subject and role, and no longer than the token would.</summary>
    private static async Task<NoContent> StartSession(ClaimsPrincipal user, HttpContext context)
    {
        var identity = new ClaimsIdentity(
            user.Claims.Where(claim => claim.Type is GuardianClaims.Subject or GuardianClaims.Role),
            DashboardSession.Scheme, GuardianClaims.Subject, GuardianClaims.Role);
        var expires = user.FindFirst("exp") is { } exp ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp.Value, System.Globalization.CultureInfo.InvariantCulture)) : (DateTimeOffset?)null;
        await context.SignInAsync(DashboardSession.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true, ExpiresUtc = expires });
        return TypedResults.NoContent();
    }

    private static IResult Page(string name) =>
        TypedResults.Stream(typeof(DashboardEndpoints).Assembly.GetManifestResourceStream($"Galaxy.Dashboard.{name}")!, "text/html; charset=utf-8");
}
