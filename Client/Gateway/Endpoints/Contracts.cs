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
