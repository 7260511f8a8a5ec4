using Galaxy.Grains.Labscapes;
using Galaxy.Grains.Placement;

namespace Galaxy.Grains;

/// <summary>
/// One AI unit: the one persister of its own weights, which its labscape's engine computes with (and changes only at its
/// request). It lives beside its labscape and calls the engine in the silo's memory; a unit that finds itself elsewhere
/// (silos came or went since it was placed) calls it through the labscape grain instead. A unit never written has no
/// row until its first change: its initial weights are a pure function of its id.
/// </summary>
[ColocatedWithLabscape]
public sealed class AiUnitGrain(
    [PersistentState(UnitState.StateName, GrainStorage.Galaxy)] IPersistentState<UnitState> state,
    GalaxyTopology topology,
    LocalLabscapes local,
    TimeProvider clock) : Grain, IAiUnitGrain
{
    private IUnitEngine? _engine;

    // Counters that change without a weight change ride along with the next write rather than cost one each.
    private long _unsavedPredictions;
    private long _unsavedRejections;

    private LearnHistory? _recentLearns;

    private long UnitId => this.GetPrimaryKeyLong();

    private bool Exists => topology.ContainsUnit(UnitId);

    private int Slot => topology.SlotOf(UnitId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists && !state.RecordExists)
        {
            state.State = Seeds.Unit(UnitId, topology, clock.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Exists && (_unsavedPredictions > 0 || _unsavedRejections > 0))
        {
            await SaveAsync(state.State, cancellationToken);
        }
    }

    public Task<UnitState> GetState()
    {
        EnsureExists();
        return Task.FromResult(WithUnsavedCounters(state.State));
    }

    public async Task<UnitView> Describe()
    {
        EnsureExists();
        var serving = await WithEngineAsync(engine => engine.DescribeAsync(Slot, state.State.Revision));
        return new UnitView(WithUnsavedCounters(state.State), serving.Version, serving.Shape, serving.OwnWeights, serving.Parameters);
    }

    public Task<LearnPoint[]> RecentLearns()
    {
        EnsureExists();
        return Task.FromResult(_recentLearns?.ToArray() ?? []);
    }

    public async Task<float[]> Predict(float[] input, TimeSpan? timeout = null) => (await Infer(input, timeout)).Output;

    public async Task<ServedOutput> Infer(float[] input, TimeSpan? timeout = null)
    {
        EnsureExists();
        UnitInput.EnsureValidTimeout(timeout);
        var served = await WithEngineAsync(engine => engine.PredictAsync(Slot, state.State.Revision, input, timeout));
        _unsavedPredictions++;
        return served;
    }

    public async Task<LearnReceipt> Learn(float[] input, float[] target, TimeSpan? timeout = null, long? expectedRevision = null)
    {
        EnsureExists();
        UnitInput.EnsureValidTimeout(timeout);

        // The grain is not reentrant, so no other write can slip in between this check and the step's persist.
        var current = state.State;
        if (expectedRevision is { } expected && expected != current.Revision)
        {
            throw new RevisionMismatchException(UnitId, expected, current.Revision);
        }

        var outcome = await WithEngineAsync(engine => engine.LearnAsync(Slot, current.Revision, input, target, timeout));
        if (!outcome.Applied)
        {
            _unsavedRejections++;
            RememberLearn(outcome.Loss, applied: false);
            return new LearnReceipt(false, outcome.Loss, current.Revision, current.Learns);
        }

        var next = current.WithOwn(outcome.Own, outcome.Dormant) with
        {
            Revision = current.Revision + 1,
            Learns = current.Learns + 1,
            UpdatedAt = clock.GetUtcNow(),
        };
        try
        {
            await SaveAsync(next);
        }
        catch (StateNotPersistedException)
        {
            // Not acknowledged, so not kept: the engine goes back to the durable weights before anyone computes with the new ones.
            await _engine!.SyncAsync(Slot, current.Revision, current.Own, current.Dormant);
            throw;
        }

        RememberLearn(outcome.Loss, applied: true);
        return new LearnReceipt(true, outcome.Loss, next.Revision, next.Learns);
    }

    public Task Checkpoint()
    {
        EnsureExists();
        return SaveAsync(state.State);
    }

    public async Task<UnitState> Reset()
    {
        EnsureExists();
        var next = state.State.WithOwn(null, null) with { Revision = state.State.Revision + 1, UpdatedAt = clock.GetUtcNow() };
        await SaveAsync(next);
        var engine = await EngineAsync();
        await engine.SyncAsync(Slot, next.Revision, null, null);
        return state.State;
    }

    /// <summary>
    /// A request to the engine; when the engine holds another revision of this unit's weights (it was built before this
    /// unit's last write landed), it is first handed the durable ones.
    /// </summary>
    private async Task<T> WithEngineAsync<T>(Func<IUnitEngine, Task<EngineReply<T>>> request)
    {
        var engine = await EngineAsync();
        EngineReply<T> reply;
        try
        {
            reply = await request(engine);
        }
        catch (BatcherRetiredException) when (!engine.IsLive)
        {
            // The labscape deactivated between the look-up and the queue, and its engine refused what came late (nothing
            // of it was applied): its next engine answers.
            engine = await EngineAsync();
            reply = await request(engine);
        }

        if (reply.Stale)
        {
            var durable = state.State;
            await engine.SyncAsync(Slot, durable.Revision, durable.Own, durable.Dormant);
            reply = await request(engine);
        }

        return reply.Stale
            ? throw new InvalidOperationException($"Unit {UnitId}'s weights went stale again right after they were synchronised.")
            : reply.Value!;
    }

    /// <summary>The labscape's engine in this silo, or, when the labscape lives elsewhere, the way to it through its grain.</summary>
    private async ValueTask<IUnitEngine> EngineAsync()
    {
        if (_engine is { IsLive: true } engine)
        {
            return engine;
        }

        var labscapeId = topology.LabscapeOf(UnitId);
        var labscape = GrainFactory.GetGrain<ILabscapeEngineGrain>(labscapeId);
        if (local.Find(labscapeId) is null)
        {
            await labscape.Activate();
        }

        _engine = (IUnitEngine?)local.Find(labscapeId) ?? new RemoteEngine(labscape);
        return _engine;
    }

    /// <summary>Persists <paramref name="next"/> with the unsaved counters; on failure the state stays as it was.</summary>
    private async Task SaveAsync(UnitState next, CancellationToken cancellationToken = default)
    {
        var previous = state.State;
        state.State = WithUnsavedCounters(next);
        try
        {
            await state.PersistAsync(this, cancellationToken);
        }
        catch
        {
            state.State = previous;
            throw;
        }

        _unsavedPredictions = 0;
        _unsavedRejections = 0;
    }

    private void RememberLearn(float loss, bool applied) => (_recentLearns ??= new LearnHistory()).Record(clock.GetUtcNow(), loss, applied);

    private UnitState WithUnsavedCounters(UnitState unit) => unit with
    {
        Predictions = unit.Predictions + _unsavedPredictions,
        RejectedSteps = unit.RejectedSteps + _unsavedRejections,
    };

    private void EnsureExists()
    {
        if (!Exists)
        {
            DeactivateOnIdle();
            throw new GalaxyKeyOutOfRangeException("Unit", UnitId, topology.UnitCount);
        }
    }
}
