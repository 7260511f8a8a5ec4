using System.Globalization;
using Galaxy.Contracts;

namespace Galaxy.Client;

// Guarded deployment (/v1/models/{id}/deployments, /v1/deployments), the CEO's approvals (/v1/guardian/approvals), and
// inference by model with its feedback.
public sealed partial class GalaxyClient
{
    /// <summary>Deploys a version (number, <c>latest</c> or an alias) to labscapes (all when null) under a canary plan (the default when null).</summary>
    public Task<DeploymentResponse> DeployAsync(
        string model, string version = "latest", int[]? labscapes = null, CanarySpec? canary = null, string? reason = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<DeploymentResponse>(
            HttpMethod.Post, ModelPath(model) + "/deployments", new DeploymentSpec(version, labscapes, canary, reason), cancellationToken, safeToRepeat: false);

    public Task<DeploymentResponse> GetDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken = default) =>
        SendAsync<DeploymentResponse>(HttpMethod.Get, $"/v1/deployments/{deploymentId}", null, cancellationToken);

    /// <summary>Deployments, newest first: of one model when <paramref name="model"/> is given, of one status when <paramref name="status"/> is.</summary>
    public Task<PageResponse<DeploymentSummary>> ListDeploymentsAsync(
        string? model = null, string? status = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<PageResponse<DeploymentSummary>>(
            HttpMethod.Get,
            (model is null ? "/v1/deployments" : ModelPath(model) + "/deployments") + Query(
            [
                ("status", status), ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture)),
            ]),
            null,
            cancellationToken);

    /// <summary>
    /// Rolls a deployment back now: one in progress, or one that succeeded while no later deployment changed its
    /// labscapes (else <see cref="GalaxyInvalidRequestException"/>, 409 <c>not-rollbackable</c>); one awaiting approval is withdrawn.
    /// </summary>
    public Task<DeploymentResponse> RollbackAsync(Guid deploymentId, string reason, CancellationToken cancellationToken = default) =>
        SendAsync<DeploymentResponse>(HttpMethod.Post, $"/v1/deployments/{deploymentId}/rollback", new RollbackRequest(reason), cancellationToken, safeToRepeat: false);

    /// <summary>Asks the CEO to approve a version (the seed's <c>requestCEOApproval</c>).</summary>
    public Task<ApprovalResponse> RequestApprovalAsync(string model, string version, string reason, CancellationToken cancellationToken = default) =>
        SendAsync<ApprovalResponse>(HttpMethod.Post, "/v1/guardian/approvals", new ApprovalRequestSpec(model, version, reason), cancellationToken, safeToRepeat: false);

    public Task<PageResponse<ApprovalResponse>> ListApprovalsAsync(string? status = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<PageResponse<ApprovalResponse>>(
            HttpMethod.Get,
            "/v1/guardian/approvals" + Query(
            [
                ("status", status), ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture)),
            ]),
            null,
            cancellationToken);

    /// <summary>The CEO's decision (a CEO signed in with the second factor).</summary>
    public Task<ApprovalResponse> DecideApprovalAsync(Guid approvalId, bool approve, string? comment = null, CancellationToken cancellationToken = default) =>
        SendAsync<ApprovalResponse>(HttpMethod.Post, $"/v1/guardian/approvals/{approvalId}/decision", new DecisionRequest(approve, comment), cancellationToken, safeToRepeat: false);

    /// <summary>An answer from a unit serving the model: raw features in; the version, outputs, probabilities and label out.</summary>
    public Task<InferenceResponse> InferAsync(string model, float[] features, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync<InferenceResponse>(HttpMethod.Post, ModelPath(model) + "/inference", new InferenceRequest(features, Milliseconds(timeout)), cancellationToken);

    /// <summary>The true label of an answered inference (to the gateway that answered it).</summary>
    public Task<FeedbackResponse> SendFeedbackAsync(string model, Guid requestId, string label, CancellationToken cancellationToken = default) =>
        SendAsync<FeedbackResponse>(HttpMethod.Post, ModelPath(model) + "/feedback", new FeedbackRequest(requestId, label), cancellationToken, safeToRepeat: false);
}
