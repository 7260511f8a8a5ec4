using System.Diagnostics;
using Galaxy.Grains.Labscapes;
using Galaxy.Grains.Placement;

namespace Galaxy.Grains;

/// <summary>
/// One labscape: its units' parameters in a compute table and the batcher that runs their requests on it (see
/// <see cref="ILabscapeGrain"/> for the weights protocol). Reentrant, so that requests keep arriving while a batch runs.
/// </summary>
[Reentrant]
[SpreadOverSilos]
public sealed class LabscapeGrain(
    [PersistentState(LabscapeState.StateName, GrainStorage.Galaxy)] IPersistentState<LabscapeState> state,
    GalaxyTopology topology,
    IOptions<BatchingOptions> batchingOptions,
    IComputeBackend backend,
    IUnitStateSource unitStates,
    TimeProvider clock) : Grain, ILabscapeGrain
{
    private IParameterTable? _table;
    private RequestBatcher? _batcher;
    private BatchMetrics? _metrics;
    private long[] _revisions = [];
    private float[]? _tickInputs;
    private float[]? _tickOutputs;

    private int LabscapeId => (int)this.GetPrimaryKeyLong();

    private bool Exists => topology.ContainsLabscape(this.GetPrimaryKeyLong());

    private RequestBatcher Batcher => _batcher ?? throw NotFound();

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

        _table = backend.CreateTable(topology.Architecture.ToArchitecture(), topology.UnitsPerLabscape);
        await RebuildTableAsync(cancellationToken);
        _metrics = new BatchMetrics(LabscapeId);
        _batcher = new RequestBatcher(_table, state.State.Batching, backend.MaxBatchRows, _metrics);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _table?.Dispose();
        return Task.CompletedTask;
    }

    public Task<LabscapeState> GetState() => Exists ? Task.FromResult(state.State) : throw NotFound();

    public Task<LabscapeMetrics> GetMetrics() =>
        Task.FromResult(_metrics is null ? throw NotFound() : _metrics.Snapshot(Batcher.QueueLength, backend.Name));

    public async Task Load(int slot, long revision, float[] parameters)
    {
        EnsureSlot(slot);
        UnitInput.EnsureValid(parameters, topology.Architecture.ParameterCount, "parameter vector");
        await Batcher.WithTableAsync(async table =>
        {
            await table.LoadUnitAsync(slot, parameters);
            _revisions[slot] = revision;
            return true;
        });
    }

    public async Task<SlotReply<float[]>> Predict(int slot, long revision, float[] input, TimeSpan? timeout)
    {
        EnsureSlot(slot);
        if (_revisions[slot] != revision)
        {
            return new SlotReply<float[]>(SlotStatus.Stale, null);
        }

        return new SlotReply<float[]>(SlotStatus.Done, await Batcher.PredictAsync(slot, input, timeout));
    }

    public async Task<SlotReply<LearnedParameters>> Learn(
        int slot, long revision, float[] input, float[] target, LearnSpec spec, TimeSpan? timeout)
    {
        EnsureSlot(slot);
        if (_revisions[slot] != revision)
        {
            return new SlotReply<LearnedParameters>(SlotStatus.Stale, null);
        }

        var learned = await Batcher.LearnAsync(slot, input, target, spec, timeout);
        if (learned.Applied)
        {
            _revisions[slot] = revision + 1;
        }

        return new SlotReply<LearnedParameters>(SlotStatus.Done, learned);
    }

    public async Task<float[]> PredictMany(long[] unitIds, float[] inputs, TimeSpan? timeout)
    {
        var batcher = Batcher;
        var inputLength = topology.Architecture.Inputs;
        if (inputs.Length != unitIds.Length * inputLength)
        {
            throw new InvalidUnitInputException(
                $"{unitIds.Length} units need {unitIds.Length * inputLength} input values, not {inputs.Length}.");
        }

        var slots = new int[unitIds.Length];
        var rows = new float[unitIds.Length][];
        for (var i = 0; i < unitIds.Length; i++)
        {
            if (!topology.ContainsUnit(unitIds[i]) || topology.LabscapeOf(unitIds[i]) != LabscapeId)
            {
                throw new InvalidUnitInputException($"Unit {unitIds[i]} is not in labscape {LabscapeId}.");
            }

            slots[i] = topology.SlotOf(unitIds[i]);
            rows[i] = inputs.AsSpan(i * inputLength, inputLength).ToArray();
            UnitInput.EnsureValid(rows[i], inputLength, $"input of unit {unitIds[i]}");
        }

        var outputs = await batcher.PredictManyAsync(slots, rows, timeout);
        return outputs.SelectMany(row => row).ToArray();
    }

    public async Task<TickSummary> Tick(float[] input)
    {
        var shape = topology.Architecture;
        UnitInput.EnsureValid(input, shape.Inputs, "input");
        var units = topology.UnitsPerLabscape;
        _tickInputs ??= new float[units * shape.Inputs];
        _tickOutputs ??= new float[units * shape.Outputs];
        for (var unit = 0; unit < units; unit++)
        {
            input.CopyTo(_tickInputs, unit * shape.Inputs);
        }

        var started = Stopwatch.GetTimestamp();
        await Batcher.WithTableAsync(async table =>
        {
            await table.ForwardAllAsync(_tickInputs, _tickOutputs);
            return true;
        });
        var kernelMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        double sum = 0;
        foreach (var value in _tickOutputs)
        {
            sum += value;
        }

        return new TickSummary(units, kernelMs, sum);
    }

    /// <summary>Every slot gets its unit's persisted parameters, or its seeded ones if the unit was never written.</summary>
    private async Task RebuildTableAsync(CancellationToken cancellationToken)
    {
        var architecture = topology.Architecture.ToArchitecture();
        var units = topology.UnitsPerLabscape;
        var parameterCount = architecture.ParameterCount;
        var firstUnit = (long)LabscapeId * units;
        var parameters = new float[units * parameterCount];
        _revisions = new long[units];
        for (var slot = 0; slot < units; slot++)
        {
            architecture.InitializeParameters(firstUnit + slot, parameters.AsSpan(slot * parameterCount, parameterCount));
        }

        foreach (var unit in await unitStates.ReadRangeAsync(firstUnit, units, cancellationToken))
        {
            if (unit.Parameters.Length != parameterCount)
            {
                throw new InvalidOperationException(
                    $"Unit {unit.UnitId} was persisted with {unit.Parameters.Length} parameters; this galaxy's units have {parameterCount}.");
            }

            var slot = topology.SlotOf(unit.UnitId);
            unit.Parameters.CopyTo(parameters, slot * parameterCount);
            _revisions[slot] = unit.Revision;
        }

        await _table!.LoadUnitsAsync(0, parameters);
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
