namespace Galaxy.Grains;

public enum TrainingJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// The durable state of one training job, persisted under <see cref="StateName"/> after every change: status, progress,
/// one summary per epoch, every candidate's latest scores, what it cost, and the version it produced.
/// </summary>
[GenerateSerializer, Alias("galaxy.training-job-state.v1")]
public sealed record TrainingJobState
{
    public const string StateName = "training-job";

    [Id(0)] public Guid JobId { get; init; }

    [Id(1)] public TrainingJobRequest? Request { get; init; }

    [Id(2)] public TrainingJobStatus Status { get; init; }

    /// <summary>Bumped by every change, so that watchers can wait for the next one.</summary>
    [Id(3)] public long Revision { get; init; }

    /// <summary>Epochs done out of the recipe's, counting the current epoch's steps.</summary>
    [Id(4)] public double Progress { get; init; }

    [Id(5)] public int EpochsDone { get; init; }

    [Id(6)] public IReadOnlyList<EpochSummary> History { get; init; } = [];

    [Id(7)] public IReadOnlyList<CandidateSummary> Candidates { get; init; } = [];

    /// <summary>The row of the candidate with the best validation accuracy after the last epoch.</summary>
    [Id(8)] public int? BestCandidate { get; init; }

    [Id(9)] public DateTimeOffset CreatedAt { get; init; }

    [Id(10)] public DateTimeOffset? StartedAt { get; init; }

    [Id(11)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Seconds the compute backends spent on this job's launches, over every silo that ran it.</summary>
    [Id(12)] public double DeviceSeconds { get; init; }

    /// <summary><see cref="DeviceSeconds"/> at the configured price per device-hour.</summary>
    [Id(13)] public double CostUsd { get; init; }

    /// <summary>The compute backend of the silo running (or that last ran) the job.</summary>
    [Id(14)] public string Backend { get; init; } = "";

    /// <summary>Times the job was picked up again from a checkpoint after its silo went away.</summary>
    [Id(15)] public int Resumes { get; init; }

    /// <summary>The version the job registered, once it succeeded.</summary>
    [Id(16)] public int? Version { get; init; }

    /// <summary>Why the job failed, worded for its owner.</summary>
    [Id(17)] public string? Error { get; init; }

    [Id(18)] public string? CancelledBy { get; init; }

    /// <summary>The silo running (or that last ran) the job.</summary>
    [Id(19)] public string Silo { get; init; } = "";

    public bool IsFinished => Status is TrainingJobStatus.Succeeded or TrainingJobStatus.Failed or TrainingJobStatus.Cancelled;
}

/// <summary>The population after one epoch.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.training-epoch-summary")]
public sealed record EpochSummary(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double MeanTrainLoss,
    [property: Id(2)] double BestValidationAccuracy,
    [property: Id(3)] double MeanValidationAccuracy,
    [property: Id(4)] int BestCandidate,
    [property: Id(5)] double WallSeconds,
    [property: Id(6)] double DeviceSeconds);

/// <summary>One candidate: its hyperparameters and its scores after the latest epoch (NaN before the first).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.training-candidate-summary")]
public sealed record CandidateSummary(
    [property: Id(0)] int Index,
    [property: Id(1)] float LearningRate,
    [property: Id(2)] int Seed,
    [property: Id(3)] float InputNoise,
    [property: Id(4)] float Mixup,
    [property: Id(5)] double TrainLoss,
    [property: Id(6)] double ValidationLoss,
    [property: Id(7)] double ValidationAccuracy,
    [property: Id(8)] int RejectedSteps);
