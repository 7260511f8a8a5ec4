using System.Buffers;

namespace Galaxy.Kernels.Simd;

/// <summary>An int8 snapshot of a <see cref="SimdParameterTable"/> (layout in <see cref="Int8Quantization"/>).</summary>
internal sealed class SimdQuantizedTable : IQuantizedTable
{
    private readonly sbyte[] _weights;
    private readonly float[] _floats;
    private readonly BatchValidator _validator;
    private readonly CpuCores _cores;

    private SimdQuantizedTable(MlpArchitecture architecture, int units, BatchValidator validator, CpuCores cores)
    {
        Architecture = architecture;
        Units = units;
        _weights = new sbyte[(long)units * Int8Quantization.WeightCount(architecture)];
        _floats = new float[(long)units * Int8Quantization.FloatCount(architecture)];
        _validator = validator;
        _cores = cores;
    }

    public MlpArchitecture Architecture { get; }

    public int Units { get; }

    private int WeightCount => Int8Quantization.WeightCount(Architecture);

    private int FloatCount => Int8Quantization.FloatCount(Architecture);

    public static SimdQuantizedTable Quantize(HugePageMemory<float> parameters, BatchValidator validator, CpuCores cores)
    {
        var architecture = validator.Architecture;
        var table = new SimdQuantizedTable(architecture, validator.Units, validator, cores);
        var p = architecture.ParameterCount;
        cores.For(table.Units, 1, (start, end) =>
        {
            for (var unit = start; unit < end; unit++)
            {
                Int8Quantization.QuantizeUnit(
                    architecture,
                    parameters.Span.Slice(unit * p, p),
                    table._weights.AsSpan(unit * table.WeightCount, table.WeightCount),
                    table._floats.AsSpan(unit * table.FloatCount, table.FloatCount));
            }
        });
        return table;
    }

    public Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.Forward(slots.Span, inputs.Span, outputs.Length);
        _cores.For(slots.Length, 64, (start, end) => ForwardRows(slots.Span, inputs.Span, outputs.Span, start, end));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }

    private void ForwardRows(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> outputs, int start, int end)
    {
        var a = Architecture;
        var scratch = ArrayPool<float>.Shared.Rent(SimdUnit.QuantizedScratchLength(a));
        for (var row = start; row < end; row++)
        {
            var slot = slots[row];
            SimdUnit.QuantizedForward(
                a,
                _weights.AsSpan(slot * WeightCount, WeightCount),
                _floats.AsSpan(slot * FloatCount, FloatCount),
                inputs.Slice(row * a.Inputs, a.Inputs),
                scratch,
                outputs.Slice(row * a.Outputs, a.Outputs));
        }

        ArrayPool<float>.Shared.Return(scratch);
    }
}
