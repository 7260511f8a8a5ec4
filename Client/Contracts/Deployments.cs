using System.Text.Json;
using System.Text.Json.Serialization;

namespace Galaxy.Contracts;

/// <summary>
/// <c>POST /v1/models/{id}/deployments</c>: a version (number, <c>latest</c> or an alias) to labscapes (ids; all of them
/// when omitted), under a canary plan (the default plan's values for what is omitted; <c>steps: [100]</c> deploys at
/// once, after approval), with a reason for the audit.
/// </summary>
public sealed record DeploymentSpec(string? Version = null, int[]? Labscapes = null, CanarySpec? Canary = null, string? Reason = null);

/// <summary>
/// A canary plan: shares of the target units in percent (ending at 100; <c>[100]</c>: at once), one analysis per
/// interval, and the limits a canary must keep; null members take the default plan's values.
/// </summary>
public sealed record CanarySpec(
    int[]? Steps = null, int? IntervalSeconds = null, int? MinSamples = null, int? MinFeedback = null, int? FailureLimit = null,
    double? MaxLatencyP95Ms = null, double? MaxErrorRate = null, double? MinAccuracy = null);

public sealed record RollbackRequest(string? Reason);

/// <summary>A deployment: status (<c>AWAITING_APPROVAL, PROGRESSING, SUCCEEDED, ROLLED_BACK, REJECTED, FAILED</c>), plan, step, the figures behind each decision, history.</summary>
public sealed record DeploymentResponse(
    Guid Id,
    string Status,
    NamedReference Model,
    int Version,
    int[] Labscapes,
    CanaryResponse Plan,
    int CanaryPercent,
    GuardianCheckResponse? Check,
    Guid? ApprovalId,
    string? ApprovedBy,
    AnalysisResponse[] Analyses,
    EventResponse[] History,
    string RequestedBy,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    string? Error)
{
    [JsonIgnore]
    public bool IsFinished => DeploymentStatuses.IsFinished(Status);
}

public static class DeploymentStatuses
{
    public static bool IsFinished(string status) => status is "SUCCEEDED" or "ROLLED_BACK" or "REJECTED" or "FAILED";
}

/// <summary>The plan a deployment runs, every value resolved.</summary>
public sealed record CanaryResponse(
    int[] Steps, int IntervalSeconds, int MinSamples, int MinFeedback, int FailureLimit, double MaxLatencyP95Ms, double MaxErrorRate, double MinAccuracy);

public sealed record GuardianCheckResponse(double? Accuracy, string AccuracySource, double LatencyP95Ms, bool Passed, string Detail);

/// <summary>One analysis: the canary's and the stable version's window, and the verdict.</summary>
public sealed record AnalysisResponse(
    int StepPercent, DateTimeOffset At, string CanaryVersion, WindowResponse Canary, string StableVersion, WindowResponse Stable, bool Passed,
    string Verdict);

/// <summary>A version's inference in one window: requests, error rate, latency p95, and accuracy from feedback (null without).</summary>
public sealed record WindowResponse(long Requests, double ErrorRate, double LatencyP95Ms, long Feedback, double? Accuracy);

public sealed record EventResponse(DateTimeOffset At, string Kind, string Principal, string Detail);

/// <summary>A deployment as lists show it.</summary>
public sealed record DeploymentSummary(
    Guid Id, string Status, NamedReference Model, int Version, int[] Labscapes, int Step, int CanaryPercent, string RequestedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt, string? Error);

/// <summary><c>POST /v1/guardian/approvals</c>: ask the CEO to approve a version (the seed's <c>requestCEOApproval</c>).</summary>
public sealed record ApprovalRequestSpec(string? Model, string? Version, string? Reason);

/// <summary>The CEO's decision: approve or reject, with a comment for the audit.</summary>
public sealed record DecisionRequest(bool? Approve, string? Comment = null);

/// <summary>An approval request and its decision; <c>Figures</c> are what the request was made on (Guardian's check, or the version's metrics).</summary>
public sealed record ApprovalResponse(
    Guid Id, NamedReference Model, int Version, Guid? DeploymentId, string Reason, JsonElement Figures, string Status, string RequestedBy,
    DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment);
