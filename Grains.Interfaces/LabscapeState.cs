namespace Galaxy.Grains;

/// <summary>How a labscape turns its units' requests into kernel launches (Triton's dynamic batcher is the model).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.batching-settings")]
public sealed record BatchingSettings
{
    [Id(0)] public int MaxBatchSize { get; init; } = 4096;

    /// <summary>
    /// How long the first request of a batch may wait for company, in microseconds. 0 (Triton's default): launch with
    /// whatever has arrived; batches then grow only while launches are busy.
    /// </summary>
    [Id(1)] public int MaxQueueDelayMicroseconds { get; init; }

    /// <summary>Requests waiting beyond this are refused at once with an overload error.</summary>
    [Id(2)] public int MaxQueueLength { get; init; } = 16_384;
}

/// <summary>The durable state of one labscape: its initial model's shape, what it serves, batching settings and counters.</summary>
[GenerateSerializer, Alias("galaxy.labscape-state.v1")]
public sealed record LabscapeState
{
    public const string StateName = "labscape";

    [Id(0)] public int LabscapeId { get; init; }

    /// <summary>The shape of its units' initial models (the topology's).</summary>
    [Id(1)] public ModelShape Architecture { get; init; } = new(0, 0, 0);

    [Id(2)] public long FirstUnitId { get; init; }

    [Id(3)] public int UnitCount { get; init; }

    [Id(4)] public BatchingSettings Batching { get; init; } = new();

    [Id(5)] public long Batches { get; init; }

    [Id(6)] public long Rows { get; init; }

    [Id(7)] public long Rejections { get; init; }

    [Id(8)] public DateTimeOffset CreatedAt { get; init; }

    [Id(9)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Its deployment record: the versions it serves, and to which of its units.</summary>
    [Id(10)] public LabscapeServing Serving { get; init; } = LabscapeServing.Initial;
}
