namespace Galaxy.Grains;

/// <summary>
/// One AI unit, addressed by its integer id <c>0 … L·U-1</c>. Its requests run on its labscape's batched kernels;
/// a unit's requests take effect in the order they arrive (predicts may overlap one another, never a learn).
/// Arrays passed in or returned are <see cref="ImmutableAttribute">immutable</see>: neither side changes them after
/// the call, which spares in-silo calls a defensive copy.
/// </summary>
[Alias("galaxy.IAiUnitGrain")]
public interface IAiUnitGrain : IGrainWithIntegerKey
{
    /// <summary>The unit's persisted state (also what the Orleans dashboard's grain-state view shows).</summary>
    [Alias("GetState")]
    Task<UnitState> GetState();

    /// <summary>The unit as it serves now: its state, the version it computes with and the weights (also the HTTP view).</summary>
    [Alias("Describe"), ReadOnly]
    Task<UnitView> Describe();

    /// <summary>
    /// The unit's latest learn steps, oldest first: at most <see cref="LearnPoint.Kept"/>, since the grain's activation
    /// (kept in memory, not persisted: they draw the unit's recent loss curve).
    /// </summary>
    [Alias("RecentLearns"), ReadOnly]
    Task<LearnPoint[]> RecentLearns();

    /// <summary>The model's K outputs for one input of D values.</summary>
    /// <param name="input">D finite values.</param>
    /// <param name="timeout">Fail with <see cref="RequestTimedOutException"/> rather than launch after this long.</param>
    [Alias("Predict"), ReadOnly]
    [return: Immutable]
    Task<float[]> Predict([Immutable] float[] input, TimeSpan? timeout = null);

    /// <summary>As <see cref="Predict"/>, naming the version that answered (<c>initial</c>, or its labscape's stable or canary version).</summary>
    [Alias("Infer"), ReadOnly]
    [return: Immutable]
    Task<ServedOutput> Infer([Immutable] float[] input, TimeSpan? timeout = null);

    /// <summary>
    /// One SGD step toward <paramref name="target"/>, acknowledged only once the new parameters are persisted.
    /// </summary>
    /// <param name="expectedRevision">
    /// When given, the step is taken only if the unit is at this revision, else <see cref="RevisionMismatchException"/>.
    /// A client that lost a learn's answer retries with the same expected revision and cannot apply the step twice.
    /// </param>
    [Alias("Learn")]
    Task<LearnReceipt> Learn(
        [Immutable] float[] input, [Immutable] float[] target, TimeSpan? timeout = null, long? expectedRevision = null);

    /// <summary>Writes the unit's state now, counters that ride with the next write included.</summary>
    [Alias("Checkpoint")]
    Task Checkpoint();

    /// <summary>Back to the unit's initial, id-seeded weights; counters are kept.</summary>
    [Alias("Reset")]
    Task<UnitState> Reset();
}

/// <summary>What a learn request did.</summary>
/// <param name="Applied">False when the step was refused because it would have made a parameter non-finite.</param>
/// <param name="Loss">The loss before the step (NaN when refused).</param>
/// <param name="Revision">The unit's parameter revision after the request.</param>
[GenerateSerializer, Immutable, Alias("galaxy.learn-receipt")]
public sealed record LearnReceipt(
    [property: Id(0)] bool Applied,
    [property: Id(1)] float Loss,
    [property: Id(2)] long Revision,
    [property: Id(3)] long Learns);

/// <summary>One learn step as the unit's loss curve shows it: when, the loss before the step, and whether it was applied.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.learn-point")]
public sealed record LearnPoint(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] float Loss,
    [property: Id(2)] bool Applied)
{
    public const int Kept = 64;
}
