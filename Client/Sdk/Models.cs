namespace Galaxy.Client;

public sealed record ModelShape(int Inputs, int Hidden, int Outputs);

/// <summary>
/// A unit as it serves: <see cref="ModelVersion"/> is the version it computes with, <see cref="Parameters"/> the weights
/// it computes with there (its own when <see cref="OwnWeights"/>).
/// </summary>
public sealed record UnitState(
    long UnitId, int LabscapeId, ModelShape Architecture, float[] Parameters, string ModelVersion, long Revision,
    long Predictions, long Learns, long RejectedSteps, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public bool OwnWeights { get; init; }

    /// <summary>The versions the unit learned weights of its own on (null when none).</summary>
    public string? OwnVersion { get; init; }

    public string? DormantVersion { get; init; }
}

public sealed record Prediction(long UnitId, float[] Output);

public sealed record LearnReceipt(long UnitId, float Loss, long Revision, long Learns);

public sealed record BulkPrediction(long LabscapeId, long[] Units, float[][] Outputs);

public sealed record GalaxyTopology(int Labscapes, int UnitsPerLabscape, ModelShape Architecture);

public sealed record LabscapeSummary(int LabscapeId, long FirstUnitId, int UnitCount);

public sealed record LabscapeList(GalaxyTopology Topology, LabscapeSummary[] Labscapes);

public sealed record TickSummary(
    long Units, int Labscapes, double WallMilliseconds, double KernelMillisecondsTotal, double KernelMillisecondsMax, double OutputSum);

/// <summary>The gateway's answer to a sign-in or a refresh; lifetimes in seconds.</summary>
public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn, string Role);

/// <summary>A new API key: <see cref="Key"/> is shown only this once.</summary>
public sealed record ApiKeyCreated(Guid Id, string Name, string Key, DateTimeOffset CreatedAt);

public sealed record ApiKeyInfo(Guid Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record AuditVerification(bool Intact, long RowsChecked, long? BrokenSeq, string? Reason);

public sealed record LabscapeState(int LabscapeId, ModelShape Architecture, long FirstUnitId, int UnitCount);

/// <summary>A labscape's batching figures since its activation (a subset of what the gateway sends).</summary>
public sealed record LabscapeMetrics(
    long Batches, long Rows, long[] BatchSizeHistogram, double MeanBatchSize, double MeanQueueDelayMs, double MeanKernelMs,
    double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms, long Overloads, long Timeouts, int QueueLength, string Backend);

public sealed record LabscapeDetails(LabscapeState State, LabscapeMetrics Metrics);
