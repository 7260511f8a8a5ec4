using ILGPU;
using ILGPU.Runtime;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>An int8 snapshot of an <see cref="IlgpuParameterTable"/>, resident on the same accelerator.</summary>
internal sealed class IlgpuQuantizedTable : IQuantizedTable
{
    private readonly IlgpuBackend _backend;
    private readonly MemoryBuffer1D<sbyte, Stride1D.Dense> _weights;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _floats;
    private readonly BatchValidator _validator;

    /// <summary>Quantises host-side <paramref name="parameters"/> and uploads the result; runs on the executor thread.</summary>
    public IlgpuQuantizedTable(IlgpuBackend backend, MlpArchitecture architecture, int units, float[] parameters)
    {
        _backend = backend;
        Architecture = architecture;
        Units = units;
        _validator = new BatchValidator(architecture, units, backend.MaxBatchRows);

        var weightCount = Int8Quantization.WeightCount(architecture);
        var floatCount = Int8Quantization.FloatCount(architecture);
        var weights = new sbyte[(long)units * weightCount];
        var floats = new float[(long)units * floatCount];
        var p = architecture.ParameterCount;
        Parallel.For(0, units, unit => Int8Quantization.QuantizeUnit(
            architecture,
            parameters.AsSpan(unit * p, p),
            weights.AsSpan(unit * weightCount, weightCount),
            floats.AsSpan(unit * floatCount, floatCount)));

        _weights = backend.Accelerator.Allocate1D(weights);
        _floats = backend.Accelerator.Allocate1D(floats);
    }

    public MlpArchitecture Architecture { get; }

    public int Units { get; }

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

    public void Dispose() => _backend.Executor.Run(() =>
    {
        _weights.Dispose();
        _floats.Dispose();
        return true;
    });
}
