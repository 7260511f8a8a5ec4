using System.ComponentModel.DataAnnotations;

namespace Galaxy.Grains.Training;

/// <summary>How a silo runs training jobs, bound from <c>Galaxy:Training</c> and validated at start.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Galaxy:Training";

    /// <summary>Jobs training at once on one silo; the rest wait, queued, for a slot.</summary>
    [Range(1, 64)]
    public int MaxConcurrentJobsPerSilo { get; set; } = 1;

    /// <summary>
    /// Least seconds between two checkpoints of a running job (taken at the end of an epoch). A job that loses its silo
    /// redoes at most this much work, plus an epoch; 0 checkpoints after every epoch.
    /// </summary>
    [Range(0, 3_600)]
    public int CheckpointIntervalSeconds { get; set; } = 10;

    /// <summary>What a device-hour costs, for a job's <c>cost_usd</c>.</summary>
    [Range(0.0, 1_000.0)]
    public double DeviceHourPriceUsd { get; set; } = 2.0;
}
