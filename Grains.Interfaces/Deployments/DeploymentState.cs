namespace Galaxy.Grains;

public enum DeploymentStatus
{
    AwaitingApproval,
    Progressing,
    Succeeded,
    RolledBack,
    Rejected,
    Failed,
}

public static class DeploymentStatusNames
{
    /// <summary>AWAITING_APPROVAL, PROGRESSING, SUCCEEDED, ROLLED_BACK, REJECTED, FAILED.</summary>
    public static string ToWireName(this DeploymentStatus status) => status switch
    {
        DeploymentStatus.AwaitingApproval => "AWAITING_APPROVAL",
        DeploymentStatus.RolledBack => "ROLLED_BACK",
        _ => status.ToString().ToUpperInvariant(),
    };
}

/// <summary>A deployment's immutable input: which version goes to which labscapes, how, asked by whom and why.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.deployment-request")]
public sealed record DeploymentRequest(
    [property: Id(0)] ServedVersion Version,
    [property: Id(1)] int[] Labscapes,
    [property: Id(2)] CanaryPlan Plan,
    [property: Id(3)] string RequestedBy,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTimeOffset RequestedAt);

/// <summary>
/// Guardian's check of a version before it may serve: its accuracy (its latest evaluation's, else its held-out
/// validation figure) and its inference latency p95 measured on the silo's backend, against the seed's bars.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.guardian-check")]
public sealed record GuardianCheck(
    [property: Id(0)] double? Accuracy,
    [property: Id(1)] string AccuracySource,
    [property: Id(2)] double LatencyP95Ms,
    [property: Id(3)] bool Passed,
    [property: Id(4)] string Detail);

/// <summary>One analysis of a canary against its stable version, over one window, and its verdict.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.canary-analysis")]
public sealed record CanaryAnalysis(
    [property: Id(0)] int StepPercent,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string CanaryVersion,
    [property: Id(3)] VersionFigures Canary,
    [property: Id(4)] string StableVersion,
    [property: Id(5)] VersionFigures Stable,
    [property: Id(6)] bool Passed,
    [property: Id(7)] string Verdict);

/// <summary>One thing that happened to a deployment, as its history and the audit chain tell it.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.deployment-event")]
public sealed record DeploymentEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Principal,
    [property: Id(3)] string Detail);

/// <summary>The durable state of one deployment, persisted after every step, analysis and decision.</summary>
[GenerateSerializer, Alias("galaxy.deployment-state.v1")]
public sealed record DeploymentState
{
    public const string StateName = "deployment";

    [Id(0)] public Guid DeploymentId { get; init; }

    [Id(1)] public DeploymentRequest? Request { get; init; }

    [Id(2)] public DeploymentStatus Status { get; init; }

    [Id(3)] public GuardianCheck? Check { get; init; }

    /// <summary>The CEO approval it waits for, or waited for.</summary>
    [Id(4)] public Guid? ApprovalId { get; init; }

    /// <summary>Who approved: <c>guardian</c> when the check passed, else the CEO who decided.</summary>
    [Id(5)] public string? ApprovedBy { get; init; }

    /// <summary>What each target labscape served before, in the request's order: a rollback serves it again.</summary>
    [Id(6)] public IReadOnlyList<LabscapeServing> Previous { get; init; } = [];

    /// <summary>Index of the plan's current step; −1 before the first.</summary>
    [Id(7)] public int Step { get; init; } = -1;

    [Id(8)] public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>The canary's and the stable version's figures when the current window opened.</summary>
    [Id(9)] public VersionFigures? CanaryBaseline { get; init; }

    [Id(10)] public VersionFigures? StableBaseline { get; init; }

    [Id(11)] public int FailedAnalyses { get; init; }

    [Id(12)] public IReadOnlyList<CanaryAnalysis> Analyses { get; init; } = [];

    [Id(13)] public IReadOnlyList<DeploymentEvent> History { get; init; } = [];

    [Id(14)] public DateTimeOffset CreatedAt { get; init; }

    [Id(15)] public DateTimeOffset UpdatedAt { get; init; }

    [Id(16)] public DateTimeOffset? EndedAt { get; init; }

    [Id(17)] public string? Error { get; init; }

    [Id(18)] public long Revision { get; init; }

    /// <summary>The silo running (or that last ran) the deployment.</summary>
    [Id(19)] public string Silo { get; init; } = "";

    public int CanaryPercent => Step < 0 || Request is null ? 0 : Request.Plan.StepsPercent[Step];

    public bool IsFinished => Status is DeploymentStatus.Succeeded or DeploymentStatus.RolledBack or DeploymentStatus.Rejected or DeploymentStatus.Failed;
}
