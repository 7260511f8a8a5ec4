using System.Security.Claims;
using System.Text.Json;
using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using VersionStatus = Galaxy.Registry.VersionStatus;

namespace Galaxy.Gateway.Deployments;

/// <summary>
/// The seed's CEO approvals, <c>/v1/guardian/approvals</c>: requests for the CEO's decision on a version (made by a
/// deployment whose Guardian check failed, or asked for by hand), and the decisions, which only a CEO makes (signed in
/// with the second factor, as every CEO is). A decision on a deployment's approval lets it go on or stops it.
/// </summary>
internal static class ApprovalEndpoints
{
    public static RouteGroupBuilder MapApprovalEndpoints(this IEndpointRouteBuilder routes)
    {
        var approvals = routes.MapGroup("/v1/guardian/approvals").WithTags("Guardian");
        approvals.MapGet("/", List).RequireAuthorization(Permissions.ReadApprovals)
            .WithName("ListApprovals").WithSummary("Approval requests, newest first, optionally of one status (PENDING, APPROVED, REJECTED).");
        approvals.MapPost("/", RequestApproval).RequireAuthorization(Permissions.RequestApproval).RequireRateLimiting(RateLimitGroups.Approvals)
            .Audited("approval.request").WithName("RequestCeoApproval").WithSummary("Asks the CEO to approve a version (requestCEOApproval).");
        approvals.MapPost("/{id}/decision", Decide).RequireAuthorization(Permissions.DecideApprovals).RequireRateLimiting(RateLimitGroups.Approvals)
            .Audited("approval.decide").ProducesProblem(StatusCodes.Status409Conflict).WithName("DecideApproval").WithSummary("The CEO approves or rejects, with a comment.");
        return approvals;
    }

    private static async Task<Results<Ok<PageResponse<ApprovalResponse>>, ProblemHttpResult>> List(
        ApprovalStore approvals, CancellationToken cancellationToken, string? status = null, int offset = 0, int limit = 100)
    {
        var statusName = status?.ToUpperInvariant();
        if (statusName is not (null or "PENDING" or "APPROVED" or "REJECTED"))
        {
            return Problems.InvalidInput("'status' must be PENDING, APPROVED or REJECTED.");
        }

        if (offset < 0 || limit is < 1 or > Paging.MaxLimit)
        {
            return Problems.InvalidInput($"'offset' must be ≥ 0 and 'limit' in 1…{Paging.MaxLimit}.");
        }

        var page = await approvals.ListAsync(statusName, offset, limit, cancellationToken);
        return TypedResults.Ok(new PageResponse<ApprovalResponse>(page.Items.Select(DeploymentMapping.ToResponse).ToArray(), page.Offset, page.Limit, page.Total));
    }

    internal static async Task<Results<Created<ApprovalResponse>, ProblemHttpResult>> RequestApproval(
        ApprovalRequestSpec body, ClaimsPrincipal user, ModelRegistry registry, ApprovalStore approvals, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Model) || string.IsNullOrWhiteSpace(body.Reason))
        {
            return Problems.InvalidInput("'model' and 'reason' are required; 'version' is a number, latest (the default) or an alias.");
        }

        var model = await registry.FindModelAsync(body.Model, cancellationToken);
        if (model is null)
        {
            return Problems.ModelNotFound(body.Model);
        }

        var versionName = body.Version ?? "latest";
        var version = await registry.FindVersionAsync(model.Id, versionName, cancellationToken);
        if (version is null)
        {
            return Problems.VersionNotFound(model.Name, versionName);
        }

        var approval = await approvals.RequestAsync(
            model.Id, version.Version, null, body.Reason, JsonSerializer.Serialize(version.Metrics), GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.Created($"/v1/guardian/approvals/{approval.Id}", approval.ToResponse());
    }

    private static async Task<Results<Ok<ApprovalResponse>, ProblemHttpResult>> Decide(
        string id, DecisionRequest body, ClaimsPrincipal user, ModelRegistry registry, ApprovalStore approvals, IClusterClient cluster,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var approvalId))
        {
            return Problems.ApprovalNotFound(id);
        }

        if (body.Approve is not { } approve)
        {
            return Problems.InvalidInput("'approve' is required: true or false.");
        }

        Approval decided;
        try
        {
            decided = await approvals.DecideAsync(approvalId, approve, GuardianClaims.SubjectOf(user), body.Comment, cancellationToken);
        }
        catch (RegistryNotFoundException)
        {
            return Problems.ApprovalNotFound(id);
        }
        catch (ApprovalDecidedException already)
        {
            // A deployment that missed the decision (its gateway went away in between) hears it now.
            await TellDeploymentAsync(already.Approval, cluster);
            return Problems.Conflict("approval-decided", "Already decided", already.Message);
        }

        if (decided.DeploymentId is null && approve)
        {
            var version = await registry.FindVersionAsync(decided.ModelId, decided.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            if (version?.Status == VersionStatus.Pending)
            {
                await registry.ChangeStatusAsync(decided.ModelId, decided.Version, VersionStatus.Approved, decided.DecidedBy!, body.Comment, cancellationToken);
            }
        }

        await TellDeploymentAsync(decided, cluster);
        return TypedResults.Ok(decided.ToResponse());
    }

    private static Task TellDeploymentAsync(Approval approval, IClusterClient cluster) =>
        approval.DeploymentId is { } deployment ? cluster.GetGrain<IDeploymentGrain>(deployment).Decide(approval.Id) : Task.CompletedTask;
}
