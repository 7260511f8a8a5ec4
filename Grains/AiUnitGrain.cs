using Galaxy.Grains.Placement;

namespace Galaxy.Grains;

/// <summary>
/// One AI unit: the owner of its durable parameters, which its labscape computes with (see
/// <see cref="ILabscapeGrain"/> for the protocol that keeps the two in step). Seeded with deterministic weights from
/// its id and persisted on first activation. Lives on its labscape's silo.
/// </summary>
[ColocatedWithLabscape]
public sealed class AiUnitGrain(
    [PersistentState(UnitState.StateName, GrainStorage.Galaxy)] IPersistentState<UnitState> state,
    GalaxyTopology topology,
    LearnSpec learnSpec,
    TimeProvider clock) : Grain, IAiUnitGrain
{
    private ILabscapeGrain? _labscape;

    // Counters that change without a parameter change ride along with the next write rather than cost one each.
    private long _unsavedPredictions;
    private long _unsavedRejections;

    private long UnitId => this.GetPrimaryKeyLong();

    private bool Exists => topology.ContainsUnit(UnitId);

    private ILabscapeGrain Labscape => _labscape ??= GrainFactory.GetLabscape(topology.LabscapeOf(UnitId));

    private int Slot => topology.SlotOf(UnitId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists && !state.RecordExists)
        {
            state.State = Seeds.Unit(UnitId, topology, clock.GetUtcNow());
            await state.PersistAsync(this, cancellationToken);
        }
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

    public async Task<float[]> Predict(float[] input, TimeSpan? timeout = null)
    {
        EnsureExists();
        UnitInput.EnsureValid(input, topology.Architecture.Inputs, "input");
        UnitInput.EnsureValidTimeout(timeout);

        var reply = await Labscape.Predict(Slot, state.State.Revision, input, timeout);
        if (reply.Status == SlotStatus.Stale)
        {
            reply = await ReloadThen(() => Labscape.Predict(Slot, state.State.Revision, input, timeout));
        }

        _unsavedPredictions++;
        return reply.Value!;
    }

    public async Task<LearnReceipt> Learn(float[] input, float[] target, TimeSpan? timeout = null, long? expectedRevision = null)
    {
        EnsureExists();
        UnitInput.EnsureValid(input, topology.Architecture.Inputs, "input");
        UnitInput.EnsureValidTarget(target, topology.Architecture, learnSpec.Loss);
        UnitInput.EnsureValidTimeout(timeout);

        // The grain is not reentrant, so no other write can slip in between this check and the step's persist.
        var current = state.State;
        if (expectedRevision is { } expected && expected != current.Revision)
        {
            throw new RevisionMismatchException(UnitId, expected, current.Revision);
        }

        var reply = await Labscape.Learn(Slot, current.Revision, input, target, learnSpec, timeout);
        if (reply.Status == SlotStatus.Stale)
        {
            reply = await ReloadThen(() => Labscape.Learn(Slot, current.Revision, input, target, learnSpec, timeout));
        }

        var learned = reply.Value!;
        if (!learned.Applied)
        {
            _unsavedRejections++;
            return new LearnReceipt(false, learned.Loss, current.Revision, current.Learns);
        }

        var next = current with
        {
            Parameters = learned.Parameters,
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
            // Not acknowledged, so not kept: put the durable parameters back before anyone computes with the new ones.
            await Labscape.Load(Slot, current.Revision, current.Parameters);
            throw;
        }

        return new LearnReceipt(true, learned.Loss, next.Revision, next.Learns);
    }

    public Task Checkpoint()
    {
        EnsureExists();
        return SaveAsync(state.State);
    }

    public async Task<UnitState> Reset()
    {
        EnsureExists();
        var current = state.State;
        var seeded = Seeds.Unit(UnitId, topology, clock.GetUtcNow());
        var next = current with
        {
            Parameters = seeded.Parameters,
            ModelVersion = seeded.ModelVersion,
            Revision = current.Revision + 1,
            UpdatedAt = seeded.UpdatedAt,
        };
        await SaveAsync(next);
        await Labscape.Load(Slot, next.Revision, next.Parameters);
        return state.State;
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

    private UnitState WithUnsavedCounters(UnitState unit) => unit with
    {
        Predictions = unit.Predictions + _unsavedPredictions,
        RejectedSteps = unit.RejectedSteps + _unsavedRejections,
    };

    private async Task<SlotReply<T>> ReloadThen<T>(Func<Task<SlotReply<T>>> request)
    {
        await Labscape.Load(Slot, state.State.Revision, state.State.Parameters);
        var reply = await request();
        return reply.Status == SlotStatus.Done
            ? reply
            : throw new InvalidOperationException($"Unit {UnitId}'s slot went stale again right after it was loaded.");
    }

    private void EnsureExists()
    {
        if (!Exists)
        {
            DeactivateOnIdle();
            throw new GalaxyKeyOutOfRangeException("Unit", UnitId, topology.UnitCount);
        }
    }
}
