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
/// <remarks>
/// The engine starts with the first request that computes (reading the units' rows and building the tables), not with
/// the activation: a deployment to labscapes that have not computed since they activated (a cold start, a galaxy
/// deployed to before it serves) writes their records and builds nothing it would throw away.
/// </remarks>
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
    // Held by a switch of what is served and by the engine's start, so that an engine starts on the record in force.
    private readonly SemaphoreSlim _serving = new(1, 1);
    private LocalLabscape? _local;
    private Task<LabscapeEngine>? _starting;

    private int LabscapeId => (int)this.GetPrimaryKeyLong();

    private bool Exists => topology.ContainsLabscape(this.GetPrimaryKeyLong());

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

        _local = local.Add(LabscapeId, new BatchMetrics(LabscapeId));

        // Published again on every activation, in case the last publication was lost with its silo.
        await PublishAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_local is { } labscape)
        {
            local.Remove(LabscapeId, labscape);
            if (_starting is { IsCompleted: false } starting)
            {
                // An engine still starting is freed once it has, rather than left to the collector with its tables.
                await Task.WhenAny(starting);
            }

            if (labscape.Engine is { } engine)
            {
                await engine.DisposeAsync();
            }
        }
    }

    public Task<LabscapeState> GetState() => Exists ? Task.FromResult(state.State) : throw NotFound();

    public Task<LabscapeMetrics> GetMetrics() =>
        Task.FromResult(_local is { } labscape ? labscape.Snapshot(backend.Name) with { Silo = RuntimeIdentity } : throw NotFound());

    public async Task<float[][]> PredictMany(long[] unitIds, float[][] inputs, TimeSpan? timeout)
    {
        EnsureExists();
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
        return await (await EngineAsync()).PredictManyAsync(slots, inputs, timeout);
    }

    public async Task<TickSummary> Tick(float[] input)
    {
        EnsureExists();
        UnitInput.EnsureValid(input, input.Length, "input");
        return await (await EngineAsync()).TickAsync(input);
    }

    /// <summary>Starts the engine, for a unit beside the labscape that looked for it in <see cref="LocalLabscapes"/>.</summary>
    public async Task Activate()
    {
        EnsureExists();
        await EngineAsync();
    }

    public async Task<EngineReply<ServedOutput>> Predict(int slot, long revision, float[] input, TimeSpan? timeout)
    {
        EnsureSlot(slot);
        return await (await EngineAsync()).PredictAsync(slot, revision, input, timeout);
    }

    public async Task<EngineReply<LearnOutcome>> Learn(int slot, long revision, float[] input, float[] target, TimeSpan? timeout)
    {
        EnsureSlot(slot);
        return await (await EngineAsync()).LearnAsync(slot, revision, input, target, timeout);
    }

    public async Task<EngineReply<UnitServing>> Describe(int slot, long revision)
    {
        EnsureSlot(slot);
        return await (await EngineAsync()).DescribeAsync(slot, revision);
    }

    public async Task Sync(int slot, long revision, OwnWeights? own, OwnWeights? dormant)
    {
        EnsureSlot(slot);
        await (await EngineAsync()).SyncAsync(slot, revision, own, dormant);
    }

    /// <summary>
    /// Builds the new models first (a version whose weights cannot be read fails here, changing nothing), then makes the
    /// record durable; if that write fails, the engine goes back to what the record still says. Without an engine, the
    /// version's weights are read (to fail the same way) and the record is written: the engine starts on it when needed.
    /// </summary>
    public async Task<LabscapeState> Serve(LabscapeServing serving)
    {
        EnsureExists();
        await _serving.WaitAsync();
        try
        {
            var previous = state.State;
            var engine = _local!.Engine;
            if (engine is null)
            {
                await Task.WhenAll(new[] { serving.Stable, serving.Canary }.OfType<ServedVersion>().Select(versions.GetAsync));
            }
            else
            {
                await engine.ServeAsync(serving);
            }

            state.State = previous with { Serving = serving, UpdatedAt = clock.GetUtcNow() };
            try
            {
                await state.PersistAsync(this);
            }
            catch
            {
                state.State = previous;
                if (engine is not null)
                {
                    await engine.ServeAsync(previous.Serving);
                }

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

    /// <summary>The engine, started on the first call: the units' rows read, the served record's tables built.</summary>
    private ValueTask<LabscapeEngine> EngineAsync()
    {
        if (_local!.Engine is { } engine)
        {
            return ValueTask.FromResult(engine);
        }

        if (_starting is null or { IsFaulted: true } or { IsCanceled: true })
        {
            _starting = StartEngineAsync();
        }

        return new ValueTask<LabscapeEngine>(_starting);
    }

    private async Task<LabscapeEngine> StartEngineAsync()
    {
        await _serving.WaitAsync();
        try
        {
            var labscape = _local!;
            var parts = new EngineParts(backend, topology.Architecture, learnSpec, state.State.Batching, versions, labscape.Metrics);
            var persisted = await unitStates.ReadRangeAsync(FirstUnitId, topology.UnitsPerLabscape, CancellationToken.None);
            var engine = await LabscapeEngine.CreateAsync(parts, FirstUnitId, topology.UnitsPerLabscape, state.State.Serving, persisted);
            labscape.Engine = engine;
            return engine;
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

    private void EnsureExists()
    {
        if (!Exists)
        {
            throw NotFound();
        }
    }

    private void EnsureSlot(int slot)
    {
        EnsureExists();
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
