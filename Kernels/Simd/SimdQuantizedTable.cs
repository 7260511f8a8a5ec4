using System.Runtime.CompilerServices;

namespace Galaxy.Kernels.Simd;

/// <summary>
/// An int8 table in huge-page native memory: one record of <see cref="Int8Quantization.UnitBytes"/> per unit (its
/// weight bytes, then its scales and biases), so that a unit is one stream of memory, computed on all cores with
/// <see cref="SimdInt8"/>.
/// </summary>
internal sealed unsafe class SimdQuantizedTable : IQuantizedTable
{
    /// <summary>Bytes a chunk should stream at least, so a parallel loop pays for itself (~64 KB, as the fp32 table).</summary>
    private const int MinBytesPerChunk = 64 * 1024;

    private readonly HugePageMemory<byte> _units;
    private readonly BatchValidator _validator;
    private readonly CpuCores _cores;
    private readonly SlotOrder _slotOrder;
    private readonly int _unitBytes;
    private readonly int _minRowsPerChunk;

    public SimdQuantizedTable(MlpArchitecture architecture, int units, int maxBatchRows, CpuCores cores)
    {
        Architecture = architecture;
        Units = units;
        _unitBytes = Int8Quantization.UnitBytes(architecture);
        _units = new HugePageMemory<byte>(units * _unitBytes);
        _validator = new BatchValidator(architecture, units, maxBatchRows);
        _cores = cores;
        _slotOrder = new SlotOrder(units, maxBatchRows);
        _minRowsPerChunk = Math.Max(1, MinBytesPerChunk / _unitBytes);
    }

    public MlpArchitecture Architecture { get; }

    public int Units { get; }

    public Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters)
    {
        var count = _validator.UnitRange(firstSlot, parameters.Length, nameof(parameters));
        _validator.Parameters(parameters.Span, nameof(parameters));
        using var pinned = parameters.Pin();
        Quantize(firstSlot, count, (float*)pinned.Pointer);
        return Task.CompletedTask;
    }

    /// <summary>Quantises <paramref name="count"/> packed fp32 units at <paramref name="source"/> into slots from <paramref name="firstSlot"/>.</summary>
    internal void Quantize(int firstSlot, int count, float* source)
    {
        var a = Architecture;
        var p = a.ParameterCount;
        var weightBytes = Int8Quantization.WeightBytes(a);
        var floatCount = Int8Quantization.FloatCount(a);
        _cores.For(count, _minRowsPerChunk, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                var unit = Unit(firstSlot + i);
                Int8Quantization.QuantizeUnit(
                    a, new ReadOnlySpan<float>(source + (long)i * p, p), new Span<sbyte>(unit, weightBytes), new Span<float>(unit + weightBytes, floatCount));
            }
        });
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

    public void Dispose() => _units.Dispose();

    private byte* Unit(int slot) => _units.Pointer + (long)slot * _unitBytes;

    private void ForwardInSlotOrder(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _slotOrder.Sort(slots.Span);
        _cores.For(slots.Length, _minRowsPerChunk, (start, end) =>
            ForwardRows(slots.Span, inputs.Span, outputs.Span, _slotOrder.Rows, start, end));
    }

    /// <summary>Rows [start, end) of the batch, in <paramref name="rowOrder"/> when given, else in batch order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardRows(
        ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> outputs, ReadOnlySpan<int> rowOrder, int start, int end)
    {
        var a = Architecture;
        var raw = stackalloc byte[SimdInt8.ScratchBytes(a) + 32];
        var scratch = (byte*)(((nint)raw + 31) & ~(nint)31);
        var prefetched = -1;
        fixed (float* x = inputs)
        fixed (float* y = outputs)
        {
            for (var i = start; i < end; i++)
            {
                // Rows of one unit (a version's shared row serves most of a batch) are prefetched once, not once a row.
                // Stryker disable once all : a prefetch hint, which no result depends on
                if (i + UnitPrefetch.Distance < end)
                {
                    var ahead = slots[rowOrder.IsEmpty ? i + UnitPrefetch.Distance : rowOrder[i + UnitPrefetch.Distance]];
                    if (ahead != prefetched)
                    {
                        UnitPrefetch.Bytes(Unit(ahead), _unitBytes);
                        prefetched = ahead;
                    }
                }

                var row = rowOrder.IsEmpty ? i : rowOrder[i];
                SimdInt8.Forward(a, Unit(slots[row]), x + (long)row * a.Inputs, y + (long)row * a.Outputs, scratch);
            }
        }
    }

    /// <summary>The tick's inner loop: units in table order, so the int8 rows stream through the cache exactly once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardUnits(ReadOnlySpan<float> inputs, Span<float> outputs, int start, int end)
    {
        var a = Architecture;
        var raw = stackalloc byte[SimdInt8.ScratchBytes(a) + 32];
        var scratch = (byte*)(((nint)raw + 31) & ~(nint)31);
        fixed (float* x = inputs)
        fixed (float* y = outputs)
        {
            for (var unit = start; unit < end; unit++)
            {
                // Stryker disable once all : a prefetch hint, which no result depends on
                if (unit + UnitPrefetch.Distance < end)
                {
                    UnitPrefetch.Bytes(Unit(unit + UnitPrefetch.Distance), _unitBytes);
                }

                SimdInt8.Forward(a, Unit(unit), x + (long)unit * a.Inputs, y + (long)unit * a.Outputs, scratch);
            }
        }
    }
}
