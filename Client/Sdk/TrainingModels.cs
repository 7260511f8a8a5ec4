namespace Galaxy.Client;

/// <summary>
/// A training job to start: the model (name or id) the version joins, the dataset (name or id) it trains on, and any
/// part of the recipe to change from the default (null keeps it).
/// </summary>
public sealed record TrainingJobSpec(
    string Model,
    string Dataset,
    string? LabelColumn = null,
    int? Hidden = null,
    string? Loss = null,
    int? Epochs = null,
    double? ValidationFraction = null,
    TrainingGrid? Grid = null,
    float? GradientClip = null,
    float? FinalLearningRateFraction = null,
    float? StandardizationFloor = null);

/// <summary>The hyperparameter grid: every combination is one candidate; null keeps the default.</summary>
public sealed record TrainingGrid(float[]? LearningRates = null, int[]? Seeds = null, float[]? InputNoise = null, float[]? Mixup = null);

public sealed record TrainingRecipe(
    int Hidden, string Loss, int Epochs, double ValidationFraction, float[] LearningRates, int[] Seeds, float[] InputNoise,
    float[] Mixup, float GradientClip, float FinalLearningRateFraction, float StandardizationFloor, int Candidates);

public sealed record NamedReference(Guid Id, string Name);

/// <summary>A training job: <see cref="Status"/> is QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.</summary>
public sealed record TrainingJob(
    Guid Id, string Status, NamedReference Model, NamedReference Dataset, string RequestedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, double Progress, int EpochsDone, TrainingRecipe Recipe,
    EpochSummary[] History, CandidateResult[] Candidates, int? BestCandidate, double DeviceSeconds, double CostUsd,
    string Backend, int Resumes, int? Version, string? Error, string? CancelledBy, long Revision)
{
    public bool IsFinished => Status is "SUCCEEDED" or "FAILED" or "CANCELLED";
}

public sealed record EpochSummary(
    int Epoch, double? MeanTrainLoss, double BestValidationAccuracy, double MeanValidationAccuracy, int BestCandidate,
    double WallSeconds, double DeviceSeconds);

public sealed record CandidateResult(
    int Index, float LearningRate, int Seed, float InputNoise, float Mixup, double? TrainLoss, double? ValidationLoss,
    double? ValidationAccuracy, int RejectedSteps);

public sealed record TrainingJobSummary(
    Guid Id, string Status, NamedReference Model, Guid DatasetId, string RequestedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, double Progress, int EpochsDone, int Epochs, int Candidates,
    double? BestValidationAccuracy, int? Version, double DeviceSeconds, decimal CostUsd, string? Error);

/// <summary>One step of a job's progress; the last one of a stream carries the finished job too.</summary>
public sealed record TrainingProgress(
    Guid Id, string Status, double Progress, int EpochsDone, int Epochs, double? BestValidationAccuracy, double DeviceSeconds,
    double CostUsd, long Revision)
{
    /// <summary>The finished job, on the stream's last step.</summary>
    public TrainingJob? Job { get; init; }

    public static TrainingProgress Of(TrainingJob job) => new(
        job.Id, job.Status, job.Progress, job.EpochsDone, job.Recipe.Epochs,
        job.History.Length > 0 ? job.History[^1].BestValidationAccuracy : null, job.DeviceSeconds, job.CostUsd, job.Revision)
    {
        Job = job,
    };
}

/// <summary>A version's accuracy on a dataset, each class's precision and recall, and the confusion matrix (<c>[actual][predicted]</c>).</summary>
public sealed record VersionEvaluation(
    NamedReference Model, int Version, NamedReference Dataset, int Rows, double Accuracy, ClassMetrics[] PerClass,
    int[][] Confusion, DateTimeOffset EvaluatedAt);

public sealed record ClassMetrics(string Class, double Precision, double Recall, int Support);
