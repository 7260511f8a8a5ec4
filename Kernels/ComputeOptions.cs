namespace Galaxy.Kernels;

/// <summary>How <see cref="ComputeBackends.Create"/> chooses and sizes a backend; bind it from configuration.</summary>
public sealed class ComputeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Galaxy:Compute";

    /// <summary>Which backend to use; <see cref="ComputeBackendKind.Auto"/> (the default) picks the fastest present.</summary>
    public ComputeBackendKind Backend { get; set; } = ComputeBackendKind.Auto;

    /// <summary>
    /// The most rows one batch may hold. ILGPU backends size their pinned staging buffers by it, so no batch allocates;
    /// every backend rejects larger batches alike. Defaults to one labscape's 4,096 units.
    /// </summary>
    public int MaxBatchRows { get; set; } = 4096;

    /// <summary>Cores the SIMD backend spreads a batch over; 0 means all of them.</summary>
    public int SimdThreads { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Backend))
        {
            throw new ArgumentOutOfRangeException(nameof(Backend), Backend, "Unknown compute backend.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchRows, nameof(MaxBatchRows));
        ArgumentOutOfRangeException.ThrowIfNegative(SimdThreads, nameof(SimdThreads));
    }
}
