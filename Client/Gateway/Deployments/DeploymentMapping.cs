using System.Text.Json;
using Galaxy.Contracts;
using Galaxy.Registry.Deployments;

namespace Galaxy.Gateway.Deployments;

/// <summary>Between the deployment API's contracts and the grain's request and state.</summary>
internal static class DeploymentMapping
{
    /// <summary>The body's plan over the default one; every problem with it.</summary>
    public static (CanaryPlan Plan, IReadOnlyList<string> Problems) ToPlan(CanarySpec? body)
    {
        var defaults = CanaryPlan.Default;
        var plan = new CanaryPlan(
            body?.Steps ?? defaults.StepsPercent,
            body?.IntervalSeconds ?? defaults.IntervalSeconds,
            body?.MinSamples ?? defaults.MinSamples,
            body?.FailureLimit ?? defaults.FailureLimit,
            body?.MaxLatencyP95Ms ?? defaults.MaxLatencyP95Ms,
            body?.MaxErrorRate ?? defaults.MaxErrorRate,
            body?.MinAccuracy ?? defaults.MinAccuracy,
            body?.MinFeedback ?? defaults.MinFeedback);
        return (plan, plan.Problems());
    }

    public static DeploymentResponse ToResponse(this DeploymentState deployment)
    {
        var request = deployment.Request!;
        var plan = request.Plan;
        return new DeploymentResponse(
            deployment.DeploymentId,
            deployment.Status.ToWireName(),
            new NamedReference(request.Version.ModelId, request.Version.ModelName),
            request.Version.Version,
            request.Labscapes,
            new CanaryResponse(
                plan.StepsPercent, plan.IntervalSeconds, plan.MinSamples, plan.MinFeedback, plan.FailureLimit, plan.MaxLatencyP95Ms, plan.MaxErrorRate,
                plan.MinAccuracy),
            deployment.CanaryPercent,
            deployment.Check is { } check
                ? new GuardianCheckResponse(check.Accuracy, check.AccuracySource, check.LatencyP95Ms, check.Passed, check.Detail)
                : null,
            deployment.ApprovalId,
            deployment.ApprovedBy,
            deployment.Analyses.Select(a => new AnalysisResponse(
                a.StepPercent, a.At, a.CanaryVersion, Window(a.Canary), a.StableVersion, Window(a.Stable), a.Passed, a.Verdict)).ToArray(),
            deployment.History.Select(e => new EventResponse(e.At, e.Kind, e.Principal, e.Detail)).ToArray(),
            request.RequestedBy,
            request.Reason,
            deployment.CreatedAt,
            deployment.UpdatedAt,
            deployment.EndedAt,
            deployment.Error);
    }

    public static DeploymentSummary ToSummary(this DeploymentRow row) => new(
        row.DeploymentId, row.Status, new NamedReference(row.ModelId, row.ModelName), row.Version, row.Labscapes, row.Step,
        row.CanaryPercent, row.RequestedBy, row.CreatedAt, row.UpdatedAt, row.EndedAt, row.Error);

    public static ApprovalResponse ToResponse(this Approval approval)
    {
        using var figures = JsonDocument.Parse(approval.FiguresJson);
        return new ApprovalResponse(
            approval.Id, new NamedReference(approval.ModelId, approval.ModelName), approval.Version, approval.DeploymentId, approval.Reason,
            figures.RootElement.Clone(), approval.Status, approval.RequestedBy, approval.RequestedAt, approval.DecidedBy, approval.DecidedAt,
            approval.Comment);
    }

    private static WindowResponse Window(VersionFigures figures) =>
        new(figures.Requests, figures.ErrorRate, figures.LatencyP95Ms, figures.Feedback, figures.Accuracy);
}
