namespace Galaxy.Grains;

/// <summary>
/// One labscape, addressed by its integer id <c>0 … L-1</c>: it holds its units' parameters in a compute table and
/// turns their concurrent requests into batched kernel launches.
/// </summary>
/// <remarks>
/// Weights protocol. A unit's persisted state is the durable copy of its parameters, at a <c>Revision</c>; the
/// labscape's table holds a working copy and remembers the revision it loaded for each slot. Every request names
/// the revision the unit holds: when the table's differs, the labscape answers <see cref="SlotStatus.Stale"/> and the
/// unit loads its parameters (<see cref="Load"/>) and asks again. A learn moves the slot to revision+1 and returns the
/// new parameters; the unit persists them and only then acknowledges. If that write fails, the unit keeps its old
/// revision, so its next request finds the slot stale and puts the durable parameters back. On activation the labscape
/// rebuilds the whole table from persisted unit state, seeded weights standing in for units never written.
/// </remarks>
[Alias("galaxy.ILabscapeGrain")]
public interface ILabscapeGrain : IGrainWithIntegerKey
{
    /// <summary>The labscape's persisted state (also what the Orleans dashboard's grain-state view shows).</summary>
    [Alias("GetState")]
    Task<LabscapeState> GetState();

    /// <summary>Batching and latency figures since this activation started.</summary>
    [Alias("GetMetrics")]
    Task<LabscapeMetrics> GetMetrics();

    /// <summary>Loads a unit's parameters at <paramref name="revision"/> into its slot.</summary>
    [Alias("Load")]
    Task Load(int slot, long revision, [Immutable] float[] parameters);

    [Alias("Predict")]
    Task<SlotReply<float[]>> Predict(int slot, long revision, [Immutable] float[] input, TimeSpan? timeout);

    [Alias("Learn")]
    Task<SlotReply<LearnedParameters>> Learn(
        int slot, long revision, [Immutable] float[] input, [Immutable] float[] target, LearnSpec spec, TimeSpan? timeout);

    /// <summary>Forward passes for many of this labscape's units in one call (rows in order, D inputs each).</summary>
    [Alias("PredictMany")]
    [return: Immutable]
    Task<float[]> PredictMany([Immutable] long[] unitIds, [Immutable] float[] inputs, TimeSpan? timeout);

    /// <summary>One forward pass for every unit of the labscape, all on the same input.</summary>
    [Alias("Tick")]
    Task<TickSummary> Tick([Immutable] float[] input);
}

/// <summary>Whether the labscape's table held the revision the unit asked with.</summary>
public enum SlotStatus
{
    Done,
    Stale,
}

[GenerateSerializer, Immutable, Alias("galaxy.slot-reply`1")]
public sealed record SlotReply<T>([property: Id(0)] SlotStatus Status, [property: Id(1)] T? Value);

/// <summary>The outcome of one learn row: the loss before the step and, when applied, the unit's new parameters.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.learned-parameters")]
public sealed record LearnedParameters(
    [property: Id(0)] bool Applied,
    [property: Id(1)] float Loss,
    [property: Id(2)] float[] Parameters);

/// <summary>How a learn step is taken: loss, learning rate and gradient clip (0 = off).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.learn-spec")]
public sealed record LearnSpec(
    [property: Id(0)] LossFunction Loss,
    [property: Id(1)] float LearningRate,
    [property: Id(2)] float GradientClip);

public enum LossFunction
{
    MeanSquaredError,
    CrossEntropy,
}

/// <summary>What one labscape's tick did.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.tick-summary")]
public sealed record TickSummary(
    [property: Id(0)] int Units,
    [property: Id(1)] double KernelMilliseconds,
    [property: Id(2)] double OutputSum);
