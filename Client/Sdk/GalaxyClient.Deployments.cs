using System.Globalization;

namespace Galaxy.Client;

// Guarded deployment (/v1/models/{id}/deployments, /v1/deployments), the CEO's approvals (/v1/guardian/approvals), and
// inference by model with its feedback.
public sealed partial class GalaxyClient
{
    /// <summary>Deploys a version (number, <c>latest</c> or an alias) to labscapes (all when null) under a canary plan (the default when null).</summary>
    public Task<Deployment> DeployAsync(
        string model, string version = "latest", int[]? labscapes = null, CanaryPlan? canary = null, string? reason = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<Deployment>(
            HttpMethod.Post, ModelPath(model) + "/deployments", new { version, labscapes, canary, reason }, cancellationToken, safeToRepeat: false);

    public Task<Deployment> GetDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken = default) =>
        SendAsync<Deployment>(HttpMethod.Get, $"/v1/deployments/{deploymentId}", null, cancellationToken);

    /// <summary>Deployments, newest first: of one model when <paramref name="model"/> is given, of one status when <paramref name="status"/> is.</summary>
    public Task<Page<DeploymentSummary>> ListDeploymentsAsync(
        string? model = null, string? status = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<Page<DeploymentSummary>>(
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
    public Task<Deployment> RollbackAsync(Guid deploymentId, string reason, CancellationToken cancellationToken = default) =>
        SendAsync<Deployment>(HttpMethod.Post, $"/v1/deployments/{deploymentId}/rollback", new { reason }, cancellationToken, safeToRepeat: false);

    /// <summary>Asks the CEO to approve a version (the seed's <c>requestCEOApproval</c>).</summary>
    public Task<Approval> RequestApprovalAsync(string model, string version, string reason, CancellationToken cancellationToken = default) =>
        SendAsync<Approval>(HttpMethod.Post, "/v1/guardian/approvals", new { model, version, reason }, cancellationToken, safeToRepeat: false);

    public Task<Page<Approval>> ListApprovalsAsync(string? status = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<Page<Approval>>(
            HttpMethod.Get,
            "/v1/guardian/approvals" + Query(
            [
                ("status", status), ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture)),
            ]),
            null,
            cancellationToken);

    /// <summary>The CEO's decision (a CEO signed in with the second factor).</summary>
    public Task<Approval> DecideApprovalAsync(Guid approvalId, bool approve, string? comment = null, CancellationToken cancellationToken = default) =>
        SendAsync<Approval>(HttpMethod.Post, $"/v1/guardian/approvals/{approvalId}/decision", new { approve, comment }, cancellationToken, safeToRepeat: false);

    /// <summary>An answer from a unit serving the model: raw features in; the version, outputs, probabilities and label out.</summary>
    public Task<InferenceAnswer> InferAsync(string model, float[] features, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync<InferenceAnswer>(HttpMethod.Post, ModelPath(model) + "/inference", new { features, timeoutMs = Milliseconds(timeout) }, cancellationToken);

    /// <summary>The true label of an answered inference (to the gateway that answered it).</summary>
    public Task<FeedbackReceipt> SendFeedbackAsync(string model, Guid requestId, string label, CancellationToken cancellationToken = default) =>
        SendAsync<FeedbackReceipt>(HttpMethod.Post, ModelPath(model) + "/feedback", new { requestId, label }, cancellationToken, safeToRepeat: false);
}
