using System.Globalization;
using System.Security.Claims;
using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using VersionStatus = Galaxy.Registry.VersionStatus;

namespace Galaxy.Gateway.Deployments;

/// <summary>
/// Guarded deployment of registry versions to labscapes: start one (it runs in a silo's <c>IDeploymentGrain</c>), follow
/// it, list them, roll one back by hand. The deployment audits each of its transitions; these routes add the request's
/// own row.
/// </summary>
internal static class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder routes)
    {
        var byModel = routes.MapGroup("/v1/models/{id}/deployments").WithTags("Deployments").RequireRateLimiting(RateLimitGroups.Models);
        byModel.MapPost("/", Start).RequireAuthorization(Permissions.Deploy).Audited("deployment.start").ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("StartDeployment").WithSummary("Deploys a version to labscapes under a canary plan, after Guardian's check or the CEO's approval.");
        byModel.MapGet("/", ListForModel).RequireAuthorization(Permissions.ReadDeployments)
            .WithName("ListModelDeployments").WithSummary("A model's deployments, newest first.");

        var deployments = routes.MapGroup("/v1/deployments").WithTags("Deployments").RequireRateLimiting(RateLimitGroups.Models);
        deployments.MapGet("/", List).RequireAuthorization(Permissions.ReadDeployments)
            .WithName("ListDeployments").WithSummary("Deployments, newest first, optionally of one status.");
        deployments.MapGet("/{id}", Get).RequireAuthorization(Permissions.ReadDeployments)
            .WithName("GetDeployment").WithSummary("A deployment: its plan, step, Guardian's check, each analysis and its history.");
        deployments.MapPost("/{id}/rollback", Rollback).RequireAuthorization(Permissions.Rollback).Audited("deployment.rollback").ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("RollbackDeployment").WithSummary("Rolls a deployment back now (in progress, or succeeded and not since superseded): its labscapes serve what they served before.");
        return routes;
    }

    internal static async Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> Start(
        string id, DeploymentSpec body, ClaimsPrincipal user, ModelRegistry registry, TopologyCache topology, IClusterClient cluster,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (plan, problems) = DeploymentMapping.ToPlan(body.Canary);
        if (problems.Count > 0)
        {
            return Problems.InvalidDeployment(string.Join(" ", problems));
        }

        var model = await registry.FindModelAsync(id, cancellationToken);
        if (model is null)
        {
            return Problems.ModelNotFound(id);
        }

        var versionName = string.IsNullOrWhiteSpace(body.Version) ? "latest" : body.Version;
        var version = await registry.FindVersionAsync(model.Id, versionName, cancellationToken);
        if (version is null)
        {
            return Problems.VersionNotFound(model.Name, versionName);
        }

        if (version.Status is VersionStatus.RolledBack or VersionStatus.Retired)
        {
            return Problems.Conflict(
                "version-not-deployable", "Version cannot be deployed",
                $"Version {version.Version} of {model.Name} is {version.Status.ToWire()}: register or train a new version instead.");
        }

        var galaxy = await topology.GetAsync();
        var labscapes = body.Labscapes ?? Enumerable.Range(0, galaxy.Labscapes).ToArray();
        var deploymentId = Guid.CreateVersion7();
        var request = new DeploymentRequest(
            version.ToServed(), labscapes, plan, GuardianClaims.SubjectOf(user), body.Reason ?? "", clock.GetUtcNow());
        var deployment = await cluster.GetGrain<IDeploymentGrain>(deploymentId).Start(request);
        return TypedResults.Accepted($"/v1/deployments/{deploymentId}", deployment.ToResponse());
    }

    private static async Task<Results<Ok<PageResponse<DeploymentSummary>>, ProblemHttpResult>> ListForModel(
        string id, ModelRegistry registry, DeploymentStore deployments, CancellationToken cancellationToken, string? status = null, int offset = 0,
        int limit = 100)
    {
        var model = await registry.FindModelAsync(id, cancellationToken);
        return model is null ? Problems.ModelNotFound(id) : await PageAsync(deployments, status, model.Id, offset, limit, cancellationToken);
    }

    private static Task<Results<Ok<PageResponse<DeploymentSummary>>, ProblemHttpResult>> List(
        DeploymentStore deployments, CancellationToken cancellationToken, string? status = null, int offset = 0, int limit = 100) =>
        PageAsync(deployments, status, null, offset, limit, cancellationToken);

    private static async Task<Results<Ok<DeploymentResponse>, ProblemHttpResult>> Get(string id, IClusterClient cluster) =>
        Guid.TryParse(id, out var deploymentId)
            ? TypedResults.Ok((await cluster.GetGrain<IDeploymentGrain>(deploymentId).GetState()).ToResponse())
            : NoSuchDeployment(id);

    private static async Task<Results<Ok<DeploymentResponse>, ProblemHttpResult>> Rollback(
        string id, RollbackRequest body, ClaimsPrincipal user, IClusterClient cluster) =>
        Guid.TryParse(id, out var deploymentId)
            ? TypedResults.Ok((await cluster.GetGrain<IDeploymentGrain>(deploymentId).Rollback(GuardianClaims.SubjectOf(user), body.Reason ?? "")).ToResponse())
            : NoSuchDeployment(id);

    private static async Task<Results<Ok<PageResponse<DeploymentSummary>>, ProblemHttpResult>> PageAsync(
        DeploymentStore deployments, string? status, Guid? modelId, int offset, int limit, CancellationToken cancellationToken)
    {
        var statusName = status?.ToUpperInvariant();
        if (statusName is not (null or "AWAITING_APPROVAL" or "PROGRESSING" or "SUCCEEDED" or "ROLLED_BACK" or "REJECTED" or "FAILED"))
        {
            return Problems.InvalidInput("'status' must be AWAITING_APPROVAL, PROGRESSING, SUCCEEDED, ROLLED_BACK, REJECTED or FAILED.");
        }

        if (offset < 0 || limit is < 1 or > Paging.MaxLimit)
        {
            return Problems.InvalidInput(string.Create(CultureInfo.InvariantCulture, $"'offset' must be ≥ 0 and 'limit' in 1…{Paging.MaxLimit}."));
        }

        var page = await deployments.ListAsync(statusName, modelId, offset, limit, cancellationToken);
        return TypedResults.Ok(new PageResponse<DeploymentSummary>(page.Items.Select(row => row.ToSummary()).ToArray(), page.Offset, page.Limit, page.Total));
    }

    private static ProblemHttpResult NoSuchDeployment(string id) => Problems.DeploymentNotFound($"No deployment has the id '{id}'.");
}
