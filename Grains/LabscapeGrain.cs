using Galaxy.Grains.Labscapes;
using Galaxy.Grains.Placement;
using Galaxy.Registry.Deployments;

namespace Galaxy.Grains;

/// <summary>
/// One labscape: the owner of its engine (<see cref="LabscapeEngine"/>: the models it serves, their tables and
/// batchers), which it registers in its silo's <see cref="LocalLabscapes"/> for the units beside it, and the keeper of
/// its deployment record. Reentrant, so that requests keep arriving while batches run. Always active: units call its
/// engine directly, so the grain itself sees few calls, and collecting it for being idle would drop their engine.
/// </summary>
[Reentrant]
[SpreadOverSilos]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class LabscapeGrain(
    [PersistentState(LabscapeState.StateName, GrainStorage.Galaxy)] IPersistentState<LabscapeState> state,
    GalaxyTopology topology,
    IOptions<BatchingOptions> batchingOptions,
    LearnSpec learnSpec,
    IComputeBackend backend,
    IUnitStateSource unitStates,
    VersionWeightsCache versions,
    LocalLabscapes local,
    ServingIndex servingIndex,
    TimeProvider clock) : Grain, ILabscapeGrain, ILabscapeEngineGrain
{
    private readonly SemaphoreSlim _serving = new(1, 1);
    private LabscapeEngine? _engine;
    private BatchMetrics? _metrics;

    private int LabscapeId => (int)this.GetPrimaryKeyLong();

    private bool Exists => topology.ContainsLabscape(this.GetPrimaryKeyLong());

    private LabscapeEngine Engine => _engine ?? throw NotFound();

    private long FirstUnitId => (long)LabscapeId * topology.UnitsPerLabscape;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return;
        }

        // Batching follows the configuration; the state records what this activation runs with.
        var batching = batchingOptions.Value.ToSettings();
        if (!state.RecordExists || state.State.Batching != batching)
        {
            var now = clock.GetUtcNow();
            state.State = state.RecordExists
                ? state.State with { Batching = batching, UpdatedAt = now }
                : Seeds.Labscape(LabscapeId, topology, batching, now);
            await state.PersistAsync(this, cancellationToken);
        }

        _metrics = new BatchMetrics(LabscapeId);
        var parts = new EngineParts(backend, topology.Architecture, learnSpec, state.State.Batching, versions, _metrics);
        var persisted = await unitStates.ReadRangeAsync(FirstUnitId, topology.UnitsPerLabscape, cancellationToken);
        _engine = await LabscapeEngine.CreateAsync(parts, FirstUnitId, topology.UnitsPerLabscape, state.State.Serving, persisted);
        local.Add(LabscapeId, _engine, _metrics);

        // Published again on every activation, in case the last publication was lost with its silo.
        await PublishAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_engine is { } engine)
        {
            local.Remove(LabscapeId, engine);
            await engine.DisposeAsync();
        }
    }

    public Task<LabscapeState> GetState() => Exists ? Task.FromResult(state.State) : throw NotFound();

    public Task<LabscapeMetrics> GetMetrics() =>
        Task.FromResult(_metrics is null ? throw NotFound() : _metrics.Snapshot(Engine.QueueLength, backend.Name) with { Silo = RuntimeIdentity });

    public Task<float[][]> PredictMany(long[] unitIds, float[][] inputs, TimeSpan? timeout)
    {
        var engine = Engine;
        if (inputs.Length != unitIds.Length)
        {
            throw new InvalidUnitInputException($"{unitIds.Length} units need {unitIds.Length} inputs, not {inputs.Length}.");
        }

        var slots = new int[unitIds.Length];
        for (var i = 0; i < unitIds.Length; i++)
        {
            if (!topology.ContainsUnit(unitIds[i]) || topology.LabscapeOf(unitIds[i]) != LabscapeId)
            {
                throw new InvalidUnitInputException($"Unit {unitIds[i]} is not in labscape {LabscapeId}.");
            }

            slots[i] = topology.SlotOf(unitIds[i]);
        }

        UnitInput.EnsureValidTimeout(timeout);
        return engine.PredictManyAsync(slots, inputs, timeout);
    }

    public Task<TickSummary> Tick(float[] input)
    {
        var engine = Engine;
        UnitInput.EnsureValid(input, input.Length, "input");
        return engine.TickAsync(input);
    }

    public Task Activate() => Exists ? Task.CompletedTask : throw NotFound();

    public Task<EngineReply<ServedOutput>> Predict(int slot, long revision, float[] input, TimeSpan? timeout)
    {
        EnsureSlot(slot);
        return Engine.PredictAsync(slot, revision, input, timeout);
    }

    public Task<EngineReply<LearnOutcome>> Learn(int slot, long revision, float[] input, float[] target, TimeSpan? timeout)
    {
        EnsureSlot(slot);
        return Engine.LearnAsync(slot, revision, input, target, timeout);
    }

    public Task<EngineReply<UnitServing>> Describe(int slot, long revision)
    {
        EnsureSlot(slot);
        return Engine.DescribeAsync(slot, revision);
    }

    public Task Sync(int slot, long revision, OwnWeights? own, OwnWeights? dormant)
    {
        EnsureSlot(slot);
        return Engine.SyncAsync(slot, revision, own, dormant);
    }

    /// <summary>
    /// Builds the new models first (a version whose weights cannot be read fails here, changing nothing), then makes the
    /// record durable; if that write fails, the engine goes back to what the record still says.
    /// </summary>
    public async Task<LabscapeState> Serve(LabscapeServing serving)
    {
        var engine = Engine;
        await _serving.WaitAsync();
        try
        {
            var previous = state.State;
            await engine.ServeAsync(serving);
            state.State = previous with { Serving = serving, UpdatedAt = clock.GetUtcNow() };
            try
            {
                await state.PersistAsync(this);
            }
            catch
            {
                state.State = previous;
                await engine.ServeAsync(previous.Serving);
                throw;
            }

            await PublishAsync(CancellationToken.None);
            return state.State;
        }
        finally
        {
            _serving.Release();
        }
    }

    /// <summary>What this labscape serves, in <c>galaxy_labscape_serving</c>, for routing inference by model.</summary>
    private Task PublishAsync(CancellationToken cancellationToken)
    {
        var serving = state.State.Serving;
        return servingIndex.PublishAsync(
            new LabscapeServingRow(
                LabscapeId, serving.Stable?.ModelId, serving.Stable?.Version, serving.Canary?.ModelId, serving.Canary?.Version,
                serving.CanaryBasisPoints, serving.Deployment),
            cancellationToken);
    }

    private void EnsureSlot(int slot)
    {
        if (!Exists)
        {
            throw NotFound();
        }

        if (slot < 0 || slot >= topology.UnitsPerLabscape)
        {
            throw new InvalidUnitInputException($"Slot {slot} is outside 0…{topology.UnitsPerLabscape - 1}.");
        }
    }

    private GalaxyKeyOutOfRangeException NotFound()
    {
        DeactivateOnIdle();
        return new GalaxyKeyOutOfRangeException("Labscape", this.GetPrimaryKeyLong(), topology.Labscapes);
    }
}
