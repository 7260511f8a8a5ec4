namespace Galaxy.Grains;

/// <summary>
/// One labscape, addressed by its integer id <c>0 … L-1</c>: its units' compute. It serves one model version (or its
/// units' initial models) and perhaps a canary version to a share of its units (<see cref="LabscapeServing"/>), and turns
/// its units' concurrent requests into batched kernel launches. Units reach it inside their silo; clients reach the
/// units, and here only what concerns the labscape as a whole.
/// </summary>
[Alias("galaxy.ILabscapeGrain")]
public interface ILabscapeGrain : IGrainWithIntegerKey
{
    /// <summary>The labscape's persisted state, what it serves included (also what the Orleans dashboard's grain-state view shows).</summary>
    [Alias("GetState")]
    Task<LabscapeState> GetState();

    /// <summary>Batching and latency figures since this activation started.</summary>
    [Alias("GetMetrics")]
    Task<LabscapeMetrics> GetMetrics();

    /// <summary>Forward passes for many of this labscape's units in one call (rows in order, each its model's inputs).</summary>
    [Alias("PredictMany")]
    [return: Immutable]
    Task<float[][]> PredictMany([Immutable] long[] unitIds, [Immutable] float[][] inputs, TimeSpan? timeout);

    /// <summary>One forward pass for every unit of the labscape whose model takes the input's width, all on that input.</summary>
    [Alias("Tick")]
    Task<TickSummary> Tick([Immutable] float[] input);
}

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

/// <summary>What one labscape's tick did: units computed, and those skipped because their model takes another input width.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.tick-summary")]
public sealed record TickSummary(
    [property: Id(0)] int Units,
    [property: Id(1)] double KernelMilliseconds,
    [property: Id(2)] double OutputSum)
{
    [Id(3)] public int Skipped { get; init; }
}
