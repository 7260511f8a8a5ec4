using System.ComponentModel.DataAnnotations;

namespace Galaxy.Grains;

/// <summary>Every labscape's batching settings, bound from <c>Galaxy:Batching</c> and applied at activation.</summary>
public sealed class BatchingOptions
{
    public const string Section = "Galaxy:Batching";

    [Range(1, 65_536)]
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>0 launches with whatever has arrived (Triton's default); a delay trades latency for fuller batches.</summary>
    [Range(0, 1_000_000)]
    public int MaxQueueDelayMicroseconds { get; set; }

    [Range(1, 1_000_000)]
    public int MaxQueueLength { get; set; } = 16_384;

    public BatchingSettings ToSettings() => new()
    {
        MaxBatchSize = MaxBatchSize,
        MaxQueueDelayMicroseconds = MaxQueueDelayMicroseconds,
        MaxQueueLength = MaxQueueLength,
    };
}
