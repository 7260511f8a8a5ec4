using System.Globalization;
using System.Security.Claims;
using Galaxy.Contracts;
using Galaxy.Gateway.Deployments;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.Monitoring;
using Galaxy.Registry.Monitoring;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.Training;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using Galaxy.Registry.Training;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;

namespace Galaxy.Gateway.Dashboard;

/// <summary>
/// The operators' dashboard: Orleans's own at <c>/dashboard</c> (silos, grains, grain state), the Galaxy page at
/// <c>/dashboard/galaxy</c> (served models against their thresholds, silos, training, deployments, approvals, a heat map
/// of the labscapes, a unit inspector) with the reads it polls, and the sign-in that turns a bearer token into the
/// browser session they use. The page decides approvals through <c>/v1/guardian/approvals</c> with a bearer token of
/// its own, never the session.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>How many training jobs and deployments the page lists: the latest.</summary>
    private const int Latest = 12;

    /// <summary>The page's scripts, served from the gateway itself: no CDN.</summary>
    private static readonly Dictionary<string, string> StaticFiles = new(StringComparer.Ordinal)
    {
        ["galaxy.js"] = "text/javascript; charset=utf-8",
        ["chart.umd.min.js"] = "text/javascript; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapGalaxyDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapOrleansDashboard(routePrefix: DashboardSession.PathPrefix).RequireAuthorization(Permissions.Dashboard);

        var galaxy = routes.MapGroup(DashboardSession.PathPrefix + "/galaxy").RequireAuthorization(Permissions.Dashboard).ExcludeFromDescription();
        galaxy.MapGet("/", () => Resource("galaxy.html", "text/html; charset=utf-8"));
        galaxy.MapGet("/static/{file}", Static);
        galaxy.MapGet("/me", Me);
        galaxy.MapGet("/models", (ModelFigureSeries series, CancellationToken cancellationToken) => series.ReadAsync(cancellationToken));
        galaxy.MapGet("/silos", Silos);
        galaxy.MapGet("/training", TrainingJobs).RequireAuthorization(Permissions.ReadTraining);
        galaxy.MapGet("/deployments", Deployments).RequireAuthorization(Permissions.ReadDeployments);
        galaxy.MapGet("/approvals", PendingApprovals).RequireAuthorization(Permissions.ReadApprovals);
        galaxy.MapGet("/alerts", FiringAlerts).RequireAuthorization(Permissions.ReadMonitoring);
        galaxy.MapGet("/labscapes", Labscapes);
        galaxy.MapGet("/units/{id}", Unit);

        routes.MapGet("/signin", () => Resource("signin.html", "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/signin/session", StartSession).ExcludeFromDescription()
            .RequireAuthorization(new AuthorizeAttribute(Permissions.Dashboard) { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme });
        return routes;
    }

    private static Results<FileStreamHttpResult, ProblemHttpResult> Static(string file) =>
        StaticFiles.TryGetValue(file, out var contentType)
            ? Resource(file, contentType)
            : Problems.Create(StatusCodes.Status404NotFound, "not-found", "No such file", $"The dashboard serves no file '{file}'.");

    private static Ok<DashboardUser> Me(ClaimsPrincipal user)
    {
        var role = user.FindFirst(GuardianClaims.Role)?.Value ?? "";
        return TypedResults.Ok(new DashboardUser(
            GuardianClaims.SubjectOf(user), role, Permissions.Matrix[Permissions.ReadApprovals].Contains(role),
            Permissions.Matrix[Permissions.DecideApprovals].Contains(role)));
    }

    /// <summary>Each active silo's resource use, as the silos' runtime statistics report it.</summary>
    private static async Task<Ok<SiloResourcesResponse>> Silos(IClusterClient cluster, TimeProvider clock)
    {
        var management = cluster.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var addresses = hosts.Keys.ToArray();
        var statistics = await management.GetRuntimeStatistics(addresses);
        var silos = addresses.Zip(statistics, (address, silo) => new SiloResources(
                address.ToString(), hosts[address].ToString(), silo.EnvironmentStatistics.FilteredCpuUsagePercentage,
                silo.EnvironmentStatistics.MemoryUsagePercentage, silo.EnvironmentStatistics.FilteredMemoryUsageBytes, silo.ActivationCount))
            .OrderBy(silo => silo.Silo, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(new SiloResourcesResponse(clock.GetUtcNow(), DashboardThresholds.Seed, silos));
    }

    private static async Task<Ok<TrainingJobsPanel>> TrainingJobs(TrainingJobStore jobs, CancellationToken cancellationToken)
    {
        var page = await jobs.ListAsync(null, null, 0, Latest, cancellationToken);
        return TypedResults.Ok(new TrainingJobsPanel(page.Items.Select(row => row.ToSummary()).ToArray()));
    }

    private static async Task<Ok<DeploymentsPanel>> Deployments(DeploymentStore deployments, CancellationToken cancellationToken)
    {
        var page = await deployments.ListAsync(null, null, 0, Latest, cancellationToken);
        return TypedResults.Ok(new DeploymentsPanel(page.Items.Select(row => row.ToSummary()).ToArray()));
    }

    private static async Task<Ok<ApprovalsPanel>> PendingApprovals(ApprovalStore approvals, CancellationToken cancellationToken)
    {
        var page = await approvals.ListAsync("PENDING", 0, Paging.MaxLimit, cancellationToken);
        return TypedResults.Ok(new ApprovalsPanel(page.Items.Select(DeploymentMapping.ToResponse).ToArray()));
    }

    /// <summary>The firing alerts, as <c>GET /v1/alerts?state=firing</c> answers them, for the page's session.</summary>
    private static async Task<Ok<AlertPage>> FiringAlerts(AlertStore alerts, CancellationToken cancellationToken)
    {
        var page = await alerts.ListAsync(AlertStates.Firing, null, 0, Paging.MaxLimit, cancellationToken);
        return TypedResults.Ok(page.ToResponse());
    }

    /// <summary>
    /// Every labscape, with its batching figures and silo when it is active, read from each silo's
    /// <see cref="ISiloLabscapesGrain"/>: one call per silo rather than per labscape, and no labscape activated for the
    /// map (activating one loads its units' state, and labscapes stay active).
    /// </summary>
    private static async Task<Ok<LabscapeLoad[]>> Labscapes(IClusterClient cluster, TopologyCache topology)
    {
        var galaxy = await topology.GetAsync();
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var bySilo = await Task.WhenAll(hosts.Keys.Select(silo => cluster.GetGrain<ISiloLabscapesGrain>(silo.ToParsableString()).GetMetrics()));
        var active = new Dictionary<int, LabscapeMetrics>();
        foreach (var (labscape, metrics) in bySilo.SelectMany(silo => silo))
        {
            // A labscape moving between silos may be seen on both for a moment: either reading will do.
            active[labscape] = metrics;
        }

        return TypedResults.Ok(Enumerable.Range(0, galaxy.Labscapes)
            .Select(id => new LabscapeLoad(id, active.TryGetValue(id, out var metrics) ? metrics.ToResponse() : null))
            .ToArray());
    }

    private static async Task<Results<Ok<UnitPicture>, ProblemHttpResult>> Unit(
        string id, IClusterClient cluster, TopologyCache topology, ModelRegistry registry, CancellationToken cancellationToken)
    {
        if (Endpoints.RequestChecks.UnitId(id, await topology.GetAsync(), out var unitId) is { } problem)
        {
            return problem;
        }

        var unit = cluster.GetUnit(unitId);
        var view = await unit.Describe();
        var learns = (await unit.RecentLearns())
            .Select(step => new LearnStep(step.At, float.IsFinite(step.Loss) ? step.Loss : null, step.Applied))
            .ToArray();
        return TypedResults.Ok(new UnitPicture(view.ToResponse(), learns, await LineageAsync(view.Serving, registry, cancellationToken)));
    }

    /// <summary>The version <paramref name="served"/> (<c>digits:3</c>) and its ancestors, newest first; none for a unit's initial model.</summary>
    private static async Task<LineageEntry[]> LineageAsync(string served, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var separator = served.LastIndexOf(':');
        if (separator < 0 || await registry.FindModelAsync(served[..separator], cancellationToken) is not { } model)
        {
            return [];
        }

        var lineage = new List<LineageEntry>();
        var next = served[(separator + 1)..];
        while (next is not null && await registry.FindVersionAsync(model.Id, next, cancellationToken) is { } version)
        {
            lineage.Add(new LineageEntry(
                $"{model.Name}:{version.Version}", version.Status.ToWire(), version.Lineage.Technique, version.Lineage.TrainingJobId,
                version.Lineage.DatasetSha256, version.Lineage.ParentVersion, version.Metrics, version.CreatedAt));
            next = version.Lineage.ParentVersion?.ToString(CultureInfo.InvariantCulture);
        }

        return lineage.ToArray();
    }

    /// <summary>The dashboard session carries the token's subject and role, and no longer than the token would.</summary>
    private static async Task<NoContent> StartSession(ClaimsPrincipal user, HttpContext context)
    {
        var identity = new ClaimsIdentity(
            user.Claims.Where(claim => claim.Type is GuardianClaims.Subject or GuardianClaims.Role),
            DashboardSession.Scheme, GuardianClaims.Subject, GuardianClaims.Role);
        var expires = user.FindFirst("exp") is { } exp ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp.Value, CultureInfo.InvariantCulture)) : (DateTimeOffset?)null;
        await context.SignInAsync(DashboardSession.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true, ExpiresUtc = expires });
        return TypedResults.NoContent();
    }

    private static FileStreamHttpResult Resource(string name, string contentType) =>
        TypedResults.Stream(typeof(DashboardEndpoints).Assembly.GetManifestResourceStream($"Galaxy.Dashboard.{name}")!, contentType);
}
