namespace Galaxy.Grains.Labscapes;

/// <summary>
/// A labscape's side that only grains call: its units' requests when a unit is not beside it (the engine protocol of
/// <see cref="IUnitEngine"/>, across silos), and deployments changing what it serves. Not in Galaxy.Grains.Interfaces:
/// clients cannot reach it.
/// </summary>
[Alias("galaxy.ILabscapeEngineGrain")]
public interface ILabscapeEngineGrain : IGrainWithIntegerKey
{
    /// <summary>Brings the labscape's engine up on its silo, if it is not already.</summary>
    [Alias("Activate")]
    Task Activate();

    [Alias("Predict")]
    [return: Immutable]
    Task<EngineReply<ServedOutput>> Predict(int slot, long revision, [Immutable] float[] input, TimeSpan? timeout);

    [Alias("Learn")]
    Task<EngineReply<LearnOutcome>> Learn(int slot, long revision, [Immutable] float[] input, [Immutable] float[] target, TimeSpan? timeout);

    [Alias("Describe")]
    Task<EngineReply<UnitServing>> Describe(int slot, long revision);

    [Alias("Sync")]
    Task Sync(int slot, long revision, OwnWeights? own, OwnWeights? dormant);

    /// <summary>Serves <paramref name="serving"/> from now on; persisted before it answers.</summary>
    [Alias("Serve")]
    Task<LabscapeState> Serve(LabscapeServing serving);
}

/// <summary>An engine on another silo, through its labscape grain.</summary>
internal sealed class RemoteEngine(ILabscapeEngineGrain labscape) : IUnitEngine
{
    public bool IsLive => true;

    public Task<EngineReply<ServedOutput>> PredictAsync(int slot, long revision, float[] input, TimeSpan? timeout) =>
        labscape.Predict(slot, revision, input, timeout);

    public Task<EngineReply<LearnOutcome>> LearnAsync(int slot, long revision, float[] input, float[] target, TimeSpan? timeout) =>
        labscape.Learn(slot, revision, input, target, timeout);

    public Task<EngineReply<UnitServing>> DescribeAsync(int slot, long revision) => labscape.Describe(slot, revision);

    public Task SyncAsync(int slot, long revision, OwnWeights? own, OwnWeights? dormant) => labscape.Sync(slot, revision, own, dormant);
}
