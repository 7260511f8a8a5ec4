namespace Galaxy.Gateway.Endpoints;

/// <summary>Predict with one unit: D input values; optionally give up after <c>TimeoutMs</c> (HTTP 504).</summary>
public sealed record PredictRequest(float[]? Input, int? TimeoutMs);

public sealed record PredictResponse(long UnitId, float[] Output);

/// <summary>One SGD step toward <c>Target</c> (K values): acknowledged once durable.</summary>
public sealed record LearnRequest(float[]? Input, float[]? Target, int? TimeoutMs);

public sealed record LearnResponse(long UnitId, float Loss, long Revision, long Learns);

/// <summary>Predict with many units of one labscape: <c>Inputs[i]</c> goes to <c>Units[i]</c>.</summary>
public sealed record BulkPredictRequest(long[]? Units, float[][]? Inputs, int? TimeoutMs);

public sealed record BulkPredictResponse(long LabscapeId, long[] Units, float[][] Outputs);

/// <summary>One forward pass for every unit of the galaxy, all on the same D inputs.</summary>
public sealed record TickRequest(float[]? Input);

public sealed record LabscapeResponse(LabscapeState State, LabscapeMetrics Metrics);

public sealed record LabscapeSummary(int LabscapeId, long FirstUnitId, int UnitCount);

public sealed record LabscapeList(GalaxyTopology Topology, LabscapeSummary[] Labscapes);

/// <summary>
/// A unit as it serves now: <c>ModelVersion</c> is the version it computes with (<c>initial</c>, or its labscape's stable
/// or canary one), <c>Architecture</c> that version's shape, <c>Parameters</c> the weights it computes with there (its own
/// when <c>OwnWeights</c>, else the version's shared ones or its seeded initial ones). <c>OwnVersion</c> and
/// <c>DormantVersion</c> name the versions it has learned weights of its own on; its ETag is its revision.
/// </summary>
public sealed record UnitResponse(
    long UnitId, int LabscapeId, string ModelVersion, ModelShape Architecture, bool OwnWeights, string? OwnVersion, string? DormantVersion,
    float[] Parameters, long Revision, long Predictions, long Learns, long RejectedSteps, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UnitResponse From(UnitView view)
    {
        var state = view.State;
        return new UnitResponse(
            state.UnitId, state.LabscapeId, view.Serving, view.Shape, view.OwnWeights, state.Own?.Version, state.Dormant?.Version, view.Parameters,
            state.Revision, state.Predictions, state.Learns, state.RejectedSteps, state.CreatedAt, state.UpdatedAt);
    }
}
