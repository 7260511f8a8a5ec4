namespace Galaxy.Client;

/// <summary>
/// A canary plan: shares of the target labscapes' units in percent, ending at 100 (<c>[100]</c>: at once), one analysis
/// per interval, and the limits a canary must keep; null members take the default plan's values.
/// </summary>
public sealed record CanaryPlan(
    int[]? Steps = null, int? IntervalSeconds = null, int? MinSamples = null, int? MinFeedback = null, int? FailureLimit = null,
    double? MaxLatencyP95Ms = null, double? MaxErrorRate = null, double? MinAccuracy = null);

/// <summary>A deployment: <see cref="Status"/> is AWAITING_APPROVAL, PROGRESSING, SUCCEEDED, ROLLED_BACK, REJECTED or FAILED.</summary>
public sealed record Deployment(
    Guid Id, string Status, NamedReference Model, int Version, int[] Labscapes, PlanFigures Plan, int CanaryPercent, GuardianCheck? Check,
    Guid? ApprovalId, string? ApprovedBy, CanaryAnalysis[] Analyses, DeploymentEvent[] History, string RequestedBy, string Reason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt, string? Error)
{
    public bool IsFinished => Status is "SUCCEEDED" or "ROLLED_BACK" or "REJECTED" or "FAILED";
}

/// <summary>The plan a deployment runs, every value resolved.</summary>
public sealed record PlanFigures(
    int[] Steps, int IntervalSeconds, int MinSamples, int MinFeedback, int FailureLimit, double MaxLatencyP95Ms, double MaxErrorRate, double MinAccuracy);

public sealed record GuardianCheck(double? Accuracy, string AccuracySource, double LatencyP95Ms, bool Passed, string Detail);

public sealed record CanaryAnalysis(
    int StepPercent, DateTimeOffset At, string CanaryVersion, InferenceWindow Canary, string StableVersion, InferenceWindow Stable, bool Passed,
    string Verdict);

public sealed record InferenceWindow(long Requests, double ErrorRate, double LatencyP95Ms, long Feedback, double? Accuracy);

public sealed record DeploymentEvent(DateTimeOffset At, string Kind, string Principal, string Detail);

public sealed record DeploymentSummary(
    Guid Id, string Status, NamedReference Model, int Version, int[] Labscapes, int Step, int CanaryPercent, string RequestedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt, string? Error);

/// <summary>A request for the CEO's decision: <see cref="Status"/> is PENDING, APPROVED or REJECTED.</summary>
public sealed record Approval(
    Guid Id, NamedReference Model, int Version, Guid? DeploymentId, string Reason, System.Text.Json.JsonElement Figures, string Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment);

/// <summary>An answer by model: which unit and version answered, the outputs, and for a classifier the probabilities and label.</summary>
public sealed record InferenceAnswer(Guid RequestId, string Model, int Version, long UnitId, float[] Output, float[]? Probabilities, string? Label);

public sealed record FeedbackReceipt(Guid RequestId, string Version, bool Correct, bool Learned, long? Revision);
