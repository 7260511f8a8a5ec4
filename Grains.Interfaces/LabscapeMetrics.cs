namespace Galaxy.Grains;

/// <summary>A labscape's batching figures since activation: how full its batches ran and how long requests took.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.labscape-metrics")]
public sealed record LabscapeMetrics
{
    [Id(0)] public long Batches { get; init; }

    [Id(1)] public long Rows { get; init; }

    /// <summary>Batches by size: bucket i counts batches of <c>2^(i-1) &lt; size ≤ 2^i</c> rows.</summary>
    [Id(2)] public long[] BatchSizeHistogram { get; init; } = [];

    [Id(3)] public double MeanBatchSize { get; init; }

    [Id(4)] public double MeanQueueDelayMs { get; init; }

    [Id(5)] public double MeanKernelMs { get; init; }

    [Id(6)] public double LatencyP50Ms { get; init; }

    [Id(7)] public double LatencyP95Ms { get; init; }

    [Id(8)] public double LatencyP99Ms { get; init; }

    /// <summary>Requests refused because the queue was full.</summary>
    [Id(9)] public long Overloads { get; init; }

    /// <summary>Requests dropped because their deadline passed before launch.</summary>
    [Id(10)] public long Timeouts { get; init; }

    [Id(11)] public int QueueLength { get; init; }

    [Id(12)] public string Backend { get; init; } = "";

    /// <summary>Learn steps applied since this activation started.</summary>
    [Id(13)] public long Learns { get; init; }

    /// <summary>The silo this activation runs on.</summary>
    [Id(14)] public string Silo { get; init; } = "";

    /// <summary>Whether its engine has started (its units' rows read, its tables built): the first request that computes starts it.</summary>
    [Id(15)] public bool Computing { get; init; }
}
