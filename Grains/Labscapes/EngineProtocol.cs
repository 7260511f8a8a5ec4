namespace Galaxy.Grains.Labscapes;

/// <summary>
/// What a unit asks of its labscape's engine, in the silo (a method call) or across silos (<see cref="ILabscapeEngineGrain"/>).
/// Every request names the unit's revision: when the engine's weights for the unit are of another revision (an engine
/// built before the unit's last write landed), it answers stale, and the unit hands it its durable weights
/// (<see cref="SyncAsync"/>) and asks again.
/// </summary>
internal interface IUnitEngine
{
    /// <summary>False once the engine was replaced (its labscape reactivated): resolve it again.</summary>
    bool IsLive { get; }

    Task<EngineReply<ServedOutput>> PredictAsync(int slot, long revision, float[] input, TimeSpan? timeout);

    Task<EngineReply<LearnOutcome>> LearnAsync(int slot, long revision, float[] input, float[] target, TimeSpan? timeout);

    /// <summary>The version the unit computes with, its shape, whether the weights are its own, and the weights.</summary>
    Task<EngineReply<UnitServing>> DescribeAsync(int slot, long revision);

    /// <summary>Makes the engine's weights for the unit its durable ones, at <paramref name="revision"/>.</summary>
    Task SyncAsync(int slot, long revision, OwnWeights? own, OwnWeights? dormant);
}

/// <summary>An engine's answer: its value, or stale (the engine holds another revision of the unit's weights).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.engine-reply`1")]
public sealed record EngineReply<T>([property: Id(0)] bool Stale, [property: Id(1)] T? Value)
{
    public static EngineReply<T> StaleReply { get; } = new(true, default);

    public static EngineReply<T> Of(T value) => new(false, value);
}

/// <summary>
/// What one learn step did: whether it was applied (not when it would have made a parameter non-finite), the loss
/// before it, and the unit's own weights after it, learned from <see cref="Version"/>, with the other version's it keeps.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.learn-outcome")]
public sealed record LearnOutcome(
    [property: Id(0)] bool Applied,
    [property: Id(1)] float Loss,
    [property: Id(2)] string Version,
    [property: Id(3)] OwnWeights? Own,
    [property: Id(4)] OwnWeights? Dormant);

/// <summary>What a unit computes with: a version, its shape, whether the weights are the unit's own, and the weights.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.unit-serving")]
public sealed record UnitServing(
    [property: Id(0)] string Version, [property: Id(1)] ModelShape Shape, [property: Id(2)] bool OwnWeights, [property: Id(3)] float[] Parameters);

/// <summary>The outcome of one learn row: the loss before the step and, when applied, the row's new parameters.</summary>
internal sealed record LearnedParameters(bool Applied, float Loss, float[] Parameters);
