using Galaxy.Contracts;
using Galaxy.Gateway.Deployments;
using Galaxy.Gateway.Training;
using Galaxy.Registry.Monitoring;

namespace Galaxy.Gateway.Dashboard;

/// <summary>A figure's limits: past <see cref="Warning"/> an operator looks, past <see cref="Critical"/> they act.</summary>
/// <param name="Direction"><c>above</c> when high values are bad (latency), <c>below</c> when low ones are (accuracy).</param>
public sealed record Threshold(double Warning, double Critical, string Direction);

/// <summary>The limits the dashboard draws on its charts: the seed's monitoring thresholds.</summary>
public sealed record DashboardThresholds(
    Threshold LatencyP95Ms, Threshold AccuracyPercent, Threshold ThroughputPerSecond, double CpuPercent, double GpuPercent, double MemoryPercent)
{
    /// <summary>The seed's "Real-time Metrics Configuration" (throughput is judged only while a model has traffic).</summary>
    public static DashboardThresholds Seed { get; } = new(
        new Threshold(80, 100, "above"), new Threshold(98, 97.5, "below"), new Threshold(1_000, 500, "below"), 80, 85, 90);
}

/// <summary>
/// A model's limits as its charts draw them: its own alert thresholds (<c>PUT /v1/monitoring/thresholds/{model}</c>),
/// the ones its alerts fire at, or the seed's when none are set (<see cref="IsDefault"/>). Accuracy in percent.
/// </summary>
public sealed record ModelChartThresholds(Threshold LatencyP95Ms, Threshold AccuracyPercent, Threshold ThroughputPerSecond, bool IsDefault)
{
    public static ModelChartThresholds Of(ModelThresholds? set)
    {
        var limits = set ?? ModelThresholds.Default;
        return new(
            new Threshold(limits.LatencyP95WarningMs, limits.LatencyP95CriticalMs, "above"),
            new Threshold(Math.Round(100 * limits.AccuracyWarning, 9), Math.Round(100 * limits.AccuracyCritical, 9), "below"),
            new Threshold(limits.ThroughputWarning, limits.ThroughputCritical, "below"),
            set is null);
    }
}

/// <summary>One second of a served version's inference: p95 latency and throughput over that second, accuracy over the feedback of the last <c>accuracyWindowSeconds</c>.</summary>
public sealed record ModelFigurePoint(DateTimeOffset At, double Throughput, double? LatencyP95Ms, double? AccuracyPercent);

/// <summary>A version some labscapes serve, as stable or canary, its model's limits, and its recent figures, oldest first.</summary>
public sealed record ServedVersionSeries(
    string Key, string Model, int Version, int StableLabscapes, int CanaryLabscapes, ModelChartThresholds Thresholds, ModelFigurePoint[] Points);

/// <summary>The served versions' figures; <c>Thresholds</c> are the seed's, which a model without its own has.</summary>
public sealed record ModelFiguresResponse(DateTimeOffset Now, int AccuracyWindowSeconds, DashboardThresholds Thresholds, ServedVersionSeries[] Versions);

/// <summary>A silo's resource use as Orleans measures it: system CPU, the process's memory, activations.</summary>
public sealed record SiloResources(string Silo, string Status, double? CpuPercent, double? MemoryPercent, long? MemoryBytes, int Activations);

public sealed record SiloResourcesResponse(DateTimeOffset Now, DashboardThresholds Thresholds, SiloResources[] Silos);

/// <summary>The signed-in person, so that the page offers what their role may do.</summary>
public sealed record DashboardUser(string Subject, string Role, bool MayReadApprovals, bool MayDecideApprovals);

public sealed record TrainingJobsPanel(TrainingJobSummary[] Jobs);

public sealed record DeploymentsPanel(DeploymentSummary[] Deployments);

public sealed record ApprovalsPanel(ApprovalResponse[] Pending);

/// <summary>One of the unit's latest learn steps; <c>loss</c> is null for a refused step.</summary>
public sealed record LearnStep(DateTimeOffset At, float? Loss, bool Applied);

/// <summary>A version in a unit's lineage: how it was made and from what (its parent is the next entry).</summary>
public sealed record LineageEntry(
    string Key, string Status, string Technique, Guid? TrainingJobId, string? DatasetSha256, int? ParentVersion, IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt);

/// <summary>The unit inspector's picture: the unit as it serves, its recent learn steps, and the lineage of the version it computes with.</summary>
public sealed record UnitPicture(Galaxy.Contracts.UnitResponse Unit, LearnStep[] RecentLearns, LineageEntry[] Lineage);
