using ILGPU.Runtime;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// The batch buffers of one accelerator, sized for <see cref="ComputeOptions.MaxBatchRows"/> rows of the widest
/// architecture. Shared by all its tables: the executor runs one batch at a time.
/// </summary>
internal sealed class StagingBuffers(Accelerator accelerator, int maxRows) : IDisposable
{
    private const int MaxRowWidth = MlpArchitecture.MaxDimension;

    public StagedBuffer<int> Slots { get; } = new(accelerator, maxRows);

    public StagedBuffer<float> Inputs { get; } = new(accelerator, (long)maxRows * MaxRowWidth);

    public StagedBuffer<float> Targets { get; } = new(accelerator, (long)maxRows * MaxRowWidth);

    public StagedBuffer<float> Outputs { get; } = new(accelerator, (long)maxRows * MaxRowWidth);

    public StagedBuffer<float> Losses { get; } = new(accelerator, maxRows);

    public StagedBuffer<float> LearningRates { get; } = new(accelerator, maxRows);

    public StagedBuffer<int> Order { get; } = new(accelerator, maxRows);

    public StagedBuffer<int> SegmentStarts { get; } = new(accelerator, maxRows + 1L);

    public StagedBuffer<uint> Mask { get; } =
        new(accelerator, PruningMask.WordsPerUnit(new MlpArchitecture(MaxRowWidth, MaxRowWidth, MaxRowWidth)));

    public int MaxRows => maxRows;

    public void Dispose()
    {
        Slots.Dispose();
        Inputs.Dispose();
        Targets.Dispose();
        Outputs.Dispose();
        Losses.Dispose();
        LearningRates.Dispose();
        Order.Dispose();
        SegmentStarts.Dispose();
        Mask.Dispose();
    }
}
