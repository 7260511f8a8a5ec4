using System.Buffers;
using System.Runtime.CompilerServices;

namespace Galaxy.Kernels.Simd;

/// <summary>A parameter table in huge-page native memory, computed on all cores with <see cref="SimdUnit"/>.</summary>
internal sealed unsafe class SimdParameterTable : IParameterTable
{
    /// <summary>Weights a chunk should stream at least, so a parallel loop pays for itself (~64 KB).</summary>
    private const int MinFloatsPerChunk = 16 * 1024;

    private readonly HugePageMemory<float> _parameters;
    private readonly BatchValidator _validator;
    private readonly CpuCores _cores;
    private readonly LearnSchedule _schedule;
    private readonly SlotOrder _slotOrder;
    private readonly int _minRowsPerChunk;
    private uint[]? _prunedWords;

    public SimdParameterTable(MlpArchitecture architecture, int units, int maxBatchRows, CpuCores cores)
    {
        Architecture = architecture;
        Units = units;
        _parameters = new HugePageMemory<float>(units * architecture.ParameterCount);
        _validator = new BatchValidator(architecture, units, maxBatchRows);
        _cores = cores;
        _schedule = new LearnSchedule(units, maxBatchRows);
        _slotOrder = new SlotOrder(units, maxBatchRows);
        _minRowsPerChunk = Math.Max(1, MinFloatsPerChunk / architecture.ParameterCount);
    }

    public MlpArchitecture Architecture { get; }

    public int Units { get; }

    private int P => Architecture.ParameterCount;

    private int WordsPerUnit => PruningMask.WordsPerUnit(Architecture);

    public Task LoadUnitAsync(int slot, ReadOnlyMemory<float> parameters) => LoadUnitsAsync(slot, parameters);

    public Task ReadUnitAsync(int slot, Memory<float> destination) => ReadUnitsAsync(slot, destination);

    public Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters)
    {
        var count = _validator.UnitRange(firstSlot, parameters.Length, nameof(parameters));
        _validator.Parameters(parameters.Span, nameof(parameters));
        parameters.Span.CopyTo(_parameters.Span.Slice(firstSlot * P, count * P));
        _prunedWords?.AsSpan(firstSlot * WordsPerUnit, count * WordsPerUnit).Clear();
        return Task.CompletedTask;
    }

    public Task ReadUnitsAsync(int firstSlot, Memory<float> destination)
    {
        var count = _validator.UnitRange(firstSlot, destination.Length, nameof(destination));
        _parameters.Span.Slice(firstSlot * P, count * P).CopyTo(destination.Span);
        return Task.CompletedTask;
    }

    public Task ReadUnitsAsync(ReadOnlyMemory<int> slots, Memory<float> destination)
    {
        _validator.Gather(slots.Span, destination.Length);
        for (var row = 0; row < slots.Length; row++)
        {
            Unit(slots.Span[row]).CopyTo(destination.Span.Slice(row * P, P));
        }

        return Task.CompletedTask;
    }

    public Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.Forward(slots.Span, inputs.Span, outputs.Length);
        if (slots.Length < SlotOrder.MinRows)
        {
            ForwardRows(slots.Span, inputs.Span, outputs.Span, rowOrder: default, 0, slots.Length);
        }
        else
        {
            ForwardInSlotOrder(slots, inputs, outputs);
        }

        return Task.CompletedTask;
    }

    public Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.ForwardAll(inputs.Span, outputs.Length);
        _cores.For(Units, _minRowsPerChunk, (start, end) => ForwardUnits(inputs.Span, outputs.Span, start, end));
        return Task.CompletedTask;
    }

    public Task<LearnResult> LearnStepAsync(
        ReadOnlyMemory<int> slots,
        ReadOnlyMemory<float> inputs,
        ReadOnlyMemory<float> targets,
        LearnSettings settings,
        Memory<float> losses,
        ReadOnlyMemory<float> learningRates = default)
    {
        _validator.Learn(slots.Span, inputs.Span, targets.Span, settings, losses.Length, learningRates.Span);
        _schedule.Build(slots.Span);
        var rejected = 0;
        _cores.For(_schedule.SegmentCount, _minRowsPerChunk, (start, end) =>
        {
            var chunkRejected = LearnSegments(
                slots.Span, inputs.Span, targets.Span, settings, learningRates.Span, losses.Span, start, end);
            Interlocked.Add(ref rejected, chunkRejected);
        });
        return Task.FromResult(new LearnResult(rejected));
    }

    public Task ApplyPruningMaskAsync(ReadOnlyMemory<int> slots, PruningMask mask)
    {
        _validator.PruningMask(slots.Span, mask);
        _prunedWords ??= new uint[(long)Units * WordsPerUnit];
        foreach (var slot in slots.Span)
        {
            mask.PrunedWords.CopyTo(_prunedWords.AsSpan(slot * WordsPerUnit, WordsPerUnit));
            var unit = Unit(slot);
            for (var i = 0; i < P; i++)
            {
                if (PruningMask.IsPruned(mask.PrunedWords, i))
                {
                    unit[i] = 0f;
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IQuantizedTable> QuantizeAsync()
    {
        TableSize.EnsureValidQuantized(Architecture, Units);
        var quantized = new SimdQuantizedTable(Architecture, Units, _validator.MaxBatchRows, _cores);
        quantized.Quantize(0, Units, _parameters.Pointer);
        return Task.FromResult<IQuantizedTable>(quantized);
    }

    public void Dispose() => _parameters.Dispose();

    private Span<float> Unit(int slot) => new(_parameters.Pointer + (long)slot * P, P);

    /// <summary>Large batches: sorted by slot, then split over the cores (kept apart so small batches allocate no closure).</summary>
    private void ForwardInSlotOrder(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _slotOrder.Sort(slots.Span);
        _cores.For(slots.Length, _minRowsPerChunk, (start, end) =>
            ForwardRows(slots.Span, inputs.Span, outputs.Span, _slotOrder.Rows, start, end));
    }

    /// <summary>Rows [start, end) of the batch, taken in <paramref name="rowOrder"/> when given, else in batch order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardRows(
        ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> outputs, ReadOnlySpan<int> rowOrder, int start, int end)
    {
        var a = Architecture;
        Span<float> hidden = stackalloc float[a.Hidden];
        for (var i = start; i < end; i++)
        {
            // Stryker disable once all : a prefetch hint, which no result depends on
            if (i + UnitPrefetch.Distance < end)
            {
                var ahead = rowOrder.IsEmpty ? i + UnitPrefetch.Distance : rowOrder[i + UnitPrefetch.Distance];
                UnitPrefetch.Unit(_parameters.Pointer + (long)slots[ahead] * P, P);
            }

            var row = rowOrder.IsEmpty ? i : rowOrder[i];
            SimdUnit.Forward(a, Unit(slots[row]), inputs.Slice(row * a.Inputs, a.Inputs), hidden, outputs.Slice(row * a.Outputs, a.Outputs));
        }
    }

    /// <summary>The tick's inner loop: units in table order, so the weights stream through the cache exactly once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardUnits(ReadOnlySpan<float> inputs, Span<float> outputs, int start, int end)
    {
        var a = Architecture;
        Span<float> hidden = stackalloc float[a.Hidden];
        for (var unit = start; unit < end; unit++)
        {
            // Stryker disable once all : a prefetch hint, which no result depends on
            if (unit + UnitPrefetch.Distance < end)
            {
                UnitPrefetch.Unit(_parameters.Pointer + (long)(unit + UnitPrefetch.Distance) * P, P);
            }

            SimdUnit.Forward(a, Unit(unit), inputs.Slice(unit * a.Inputs, a.Inputs), hidden, outputs.Slice(unit * a.Outputs, a.Outputs));
        }
    }

    /// <summary>Learns segments [start, end) of the schedule: each segment's rows in batch order, so duplicates apply in turn.</summary>
    private int LearnSegments(
        ReadOnlySpan<int> slots,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        LearnSettings settings,
        ReadOnlySpan<float> learningRates,
        Span<float> losses,
        int start,
        int end)
    {
        var a = Architecture;
        var scratch = ArrayPool<float>.Shared.Rent(SimdUnit.LearnScratchLength(a));
        var rejected = 0;
        for (var i = _schedule.SegmentStarts[start]; i < _schedule.SegmentStarts[end]; i++)
        {
            var row = _schedule.Order[i];
            var slot = slots[row];
            var loss = SimdUnit.LearnStep(
                a,
                Unit(slot),
                inputs.Slice(row * a.Inputs, a.Inputs),
                targets.Slice(row * a.Outputs, a.Outputs),
                learningRates.IsEmpty ? settings : settings with { LearningRate = learningRates[row] },
                _prunedWords is null ? default : _prunedWords.AsSpan(slot * WordsPerUnit, WordsPerUnit),
                scratch);
            losses[row] = loss;
            rejected += float.IsNaN(loss) ? 1 : 0;
        }

        ArrayPool<float>.Shared.Return(scratch);
        return rejected;
    }
}
