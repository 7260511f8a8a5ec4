using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// An int8 table resident on the accelerator: every unit's weight bytes as int32 words (four weights each, for dp4a),
/// and its scales and biases. Loads quantise on the host and upload; batches stage through the backend's pinned buffers.
/// </summary>
internal sealed class IlgpuQuantizedTable : IQuantizedTable
{
    private readonly IlgpuBackend _backend;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _weights;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _floats;
    private readonly BatchValidator _validator;

    /// <summary>Runs on the executor thread.</summary>
    public IlgpuQuantizedTable(IlgpuBackend backend, MlpArchitecture architecture, int units)
    {
        _backend = backend;
        Architecture = architecture;
        Units = units;
        _validator = new BatchValidator(architecture, units, backend.MaxBatchRows);
        _weights = backend.Accelerator.Allocate1D<int>((long)units * WordsPerUnit);
        _floats = backend.Accelerator.Allocate1D<float>((long)units * FloatsPerUnit);
        _weights.View.MemSetToZero(backend.Stream);
        _floats.View.MemSetToZero(backend.Stream);
        backend.Stream.Synchronize();
    }

    public MlpArchitecture Architecture { get; }

    public int Units { get; }

    private int WordsPerUnit => Int8Quantization.WeightBytes(Architecture) / sizeof(int);

    private int FloatsPerUnit => Int8Quantization.FloatCount(Architecture);

    public Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters)
    {
        var count = _validator.UnitRange(firstSlot, parameters.Length, nameof(parameters));
        _validator.Parameters(parameters.Span, nameof(parameters));
        var (weights, floats) = Quantize(Architecture, parameters.Span, count);
        return _backend.Executor.RunAsync(() => Upload(firstSlot, count, weights, floats));
    }

    /// <summary>Uploads quantised units; runs on the executor thread.</summary>
    internal void Upload(int firstSlot, int count, int[] weights, float[] floats)
    {
        _weights.View.SubView((long)firstSlot * WordsPerUnit, (long)count * WordsPerUnit).CopyFromCPU(_backend.Stream, weights);
        _floats.View.SubView((long)firstSlot * FloatsPerUnit, (long)count * FloatsPerUnit).CopyFromCPU(_backend.Stream, floats);
        _backend.Stream.Synchronize();
    }

    /// <summary><paramref name="count"/> packed fp32 units quantised on the host, in the device layout.</summary>
    internal static (int[] Weights, float[] Floats) Quantize(MlpArchitecture architecture, ReadOnlySpan<float> parameters, int count)
    {
        var weightBytes = Int8Quantization.WeightBytes(architecture);
        var floatCount = Int8Quantization.FloatCount(architecture);
        var p = architecture.ParameterCount;
        var weights = new int[(long)count * weightBytes / sizeof(int)];
        var floats = new float[(long)count * floatCount];
        var bytes = MemoryMarshal.Cast<int, sbyte>(weights.AsSpan());
        for (var unit = 0; unit < count; unit++)
        {
            Int8Quantization.QuantizeUnit(
                architecture, parameters.Slice(unit * p, p), bytes.Slice(unit * weightBytes, weightBytes), floats.AsSpan(unit * floatCount, floatCount));
        }

        return (weights, floats);
    }

    public Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.Forward(slots.Span, inputs.Span, outputs.Length);
        if (slots.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return _backend.Executor.RunAsync(() =>
        {
            var staging = _backend.Staging;
            var stream = _backend.Stream;
            _backend.Kernels.QuantizedForwardRows(
                new KernelConfig(slots.Length, _backend.GroupSize),
                Architecture,
                _weights.View,
                _floats.View,
                staging.Slots.Upload(stream, slots.Span),
                staging.Inputs.Upload(stream, inputs.Span),
                staging.Outputs.View(outputs.Length));
            staging.Outputs.Download(stream, outputs.Span);
        });
    }

    public Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.ForwardAll(inputs.Span, outputs.Length);
        var (d, k) = (Architecture.Inputs, Architecture.Outputs);
        return _backend.Executor.RunAsync(() =>
        {
            var staging = _backend.Staging;
            var stream = _backend.Stream;
            for (var first = 0; first < Units; first += staging.MaxRows)
            {
                var count = Math.Min(staging.MaxRows, Units - first);
                _backend.Kernels.QuantizedForwardRange(
                    new KernelConfig(count, _backend.GroupSize),
                    Architecture,
                    _weights.View,
                    _floats.View,
                    first,
                    staging.Inputs.Upload(stream, inputs.Span.Slice(first * d, count * d)),
                    staging.Outputs.View(count * k));
                staging.Outputs.Download(stream, outputs.Span.Slice(first * k, count * k));
            }
        });
    }

    public void Dispose() => _backend.Executor.Run(() =>
    {
        _weights.Dispose();
        _floats.Dispose();
        return true;
    });
}
