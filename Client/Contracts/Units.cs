namespace Galaxy.Contracts;

/// <summary>A unit model's shape: inputs (D), tanh hidden units (H), linear outputs (K).</summary>
public sealed record ModelArchitecture(int Inputs, int Hidden, int Outputs);

/// <summary>Predict with one unit: D input values; optionally give up after <c>TimeoutMs</c> (HTTP 504).</summary>
public sealed record PredictRequest(float[]? Input, int? TimeoutMs = null);

public sealed record PredictResponse(long UnitId, float[] Output);

/// <summary>One SGD step toward <c>Target</c> (K values): acknowledged once durable.</summary>
public sealed record LearnRequest(float[]? Input, float[]? Target, int? TimeoutMs = null);

public sealed record LearnResponse(long UnitId, float Loss, long Revision, long Learns);

/// <summary>Predict with many units of one labscape: <c>Inputs[i]</c> goes to <c>Units[i]</c>.</summary>
public sealed record BulkPredictRequest(long[]? Units, float[][]? Inputs, int? TimeoutMs = null);

public sealed record BulkPredictResponse(long LabscapeId, long[] Units, float[][] Outputs);

/// <summary>One forward pass for every unit of the galaxy, all on the same D inputs.</summary>
public sealed record TickRequest(float[]? Input);

/// <summary>
/// What a galaxy tick did: units computed, wall time, the labscapes' kernel time (sum and slowest), the sum of every
/// output, and units skipped because the model they serve takes another input width.
/// </summary>
public sealed record TickResponse(
    long Units, int Labscapes, double WallMilliseconds, double KernelMillisecondsTotal, double KernelMillisecondsMax, double OutputSum, long Skipped);

/// <summary>
/// A unit as it serves now: <c>ModelVersion</c> is the version it computes with (<c>initial</c>, or its labscape's stable
/// or canary one), <c>Architecture</c> that version's shape, <c>Parameters</c> the weights it computes with there (its own
/// when <c>OwnWeights</c>, else the version's shared ones or its seeded initial ones). <c>OwnVersion</c> and
/// <c>DormantVersion</c> name the versions it has learned weights of its own on; its ETag is its revision.
/// </summary>
public sealed record UnitResponse(
    long UnitId, int LabscapeId, string ModelVersion, ModelArchitecture Architecture, bool OwnWeights, string? OwnVersion, string? DormantVersion,
    float[] Parameters, long Revision, long Predictions, long Learns, long RejectedSteps, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The galaxy's shape: labscapes of <c>UnitsPerLabscape</c> units each, on an initial model of <c>Architecture</c>.</summary>
public sealed record GalaxyTopologyResponse(int Labscapes, int UnitsPerLabscape, ModelArchitecture Architecture);

public sealed record LabscapeSummary(int LabscapeId, long FirstUnitId, int UnitCount);

public sealed record LabscapeList(GalaxyTopologyResponse Topology, LabscapeSummary[] Labscapes);

/// <summary>How a labscape batches: the largest batch, how long a batch waits for company (µs), the longest queue.</summary>
public sealed record BatchingResponse(int MaxBatchSize, int MaxQueueDelayMicroseconds, int MaxQueueLength);

/// <summary>
/// A labscape: its units, initial architecture and batching; what it serves (<c>StableVersion</c>, <c>initial</c> before any
/// deployment, and a canary on <c>CanaryPercent</c> of its units); its durable counters.
/// </summary>
public sealed record LabscapeStateResponse(
    int LabscapeId, ModelArchitecture Architecture, long FirstUnitId, int UnitCount, BatchingResponse Batching, string StableVersion,
    string? CanaryVersion, double CanaryPercent, long Batches, long Rows, long Rejections, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// A labscape's batching figures since its activation: how full its batches ran and how long requests took, the
/// learns it applied, and the silo it is active on.
/// </summary>
public sealed record LabscapeMetricsResponse(
    long Batches, long Rows, long[] BatchSizeHistogram, double MeanBatchSize, double MeanQueueDelayMs, double MeanKernelMs,
    double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms, long Overloads, long Timeouts, int QueueLength, string Backend,
    long Learns, string Silo);

public sealed record LabscapeResponse(LabscapeStateResponse State, LabscapeMetricsResponse Metrics);

/// <summary>
/// One labscape's batching figures, as the dashboard's map shows them; null when it is not active (none of its units
/// used since its silo started): the map does not activate it to ask.
/// </summary>
public sealed record LabscapeLoad(int LabscapeId, LabscapeMetricsResponse? Metrics);
