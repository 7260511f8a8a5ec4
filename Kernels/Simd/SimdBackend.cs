namespace Galaxy.Kernels.Simd;

/// <summary>The CPU backend: vectorised C# (Vector256, System.Numerics.Tensors) over all cores; tables in managed memory.</summary>
internal sealed class SimdBackend(ComputeOptions options) : IComputeBackend
{
    private readonly CpuCores _cores = new(options.SimdThreads > 0 ? options.SimdThreads : Environment.ProcessorCount);

    public ComputeBackendKind Kind => ComputeBackendKind.Simd;

    public string Name => $"Simd: {_cores.Threads} cores, {System.Numerics.Vector<byte>.Count * 8}-bit vectors";

    public int MaxBatchRows { get; } = options.MaxBatchRows;

    public IParameterTable CreateTable(MlpArchitecture architecture, int units)
    {
        TableSize.EnsureValid(architecture, units);
        return new SimdParameterTable(architecture, units, MaxBatchRows, _cores);
    }

    public IQuantizedTable CreateQuantizedTable(MlpArchitecture architecture, int units)
    {
        TableSize.EnsureValidQuantized(architecture, units);
        return new SimdQuantizedTable(architecture, units, MaxBatchRows, _cores);
    }

    public void Dispose()
    {
    }
}
