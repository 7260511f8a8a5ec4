namespace Galaxy.Kernels;

/// <summary>
/// A place to run the unit kernels (a GPU through ILGPU, or the CPU), and the factory of the parameter tables that
/// live there. Create one per process through <see cref="ComputeBackends.Create"/> and share it; it is thread-safe.
/// Disposing it releases the device; dispose its tables first.
/// </summary>
public interface IComputeBackend : IDisposable
{
    /// <summary>Which backend this is (never <see cref="ComputeBackendKind.Auto"/>).</summary>
    ComputeBackendKind Kind { get; }

    /// <summary>A human-readable name: the backend and its device, e.g. <c>"Cuda: NVIDIA H100 80GB HBM3"</c>.</summary>
    string Name { get; }

    /// <summary>The most rows one batch may hold (<see cref="ComputeOptions.MaxBatchRows"/>).</summary>
    int MaxBatchRows { get; }

    /// <summary>
    /// Creates a table for <paramref name="units"/> units of one architecture, every parameter zero
    /// (load real weights with <see cref="IParameterTable.LoadUnitsAsync"/>). On a GPU the table lives in device memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The architecture is invalid, or the table would be too large.</exception>
    IParameterTable CreateTable(MlpArchitecture architecture, int units);

    /// <summary>
    /// Creates an int8 table for <paramref name="units"/> units, every weight, scale and bias zero (load fp32 rows with
    /// <see cref="IQuantizedTable.LoadUnitsAsync"/>, which quantises them). On a GPU it lives in device memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The architecture is invalid, or the table would be too large.</exception>
    IQuantizedTable CreateQuantizedTable(MlpArchitecture architecture, int units);
}
