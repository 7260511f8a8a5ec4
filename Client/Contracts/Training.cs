using System.Text.Json.Serialization;

namespace Galaxy.Contracts;

/// <summary>
/// <c>POST /v1/training/jobs</c>: train a population on a registered dataset for a registered model. Everything but
/// <c>Model</c> and <c>Dataset</c> is optional and defaults to the default recipe (README, "Train a model").
/// </summary>
/// <param name="Model">The model's name or id; the new version joins it.</param>
/// <param name="Dataset">The dataset's name or id.</param>
/// <param name="LabelColumn">When given, must be the dataset's label column (a guard against training on the wrong file).</param>
/// <param name="Loss"><c>CrossEntropy</c> or <c>MeanSquaredError</c>.</param>
public sealed record TrainingJobSpec(
    string? Model,
    string? Dataset,
    string? LabelColumn = null,
    int? Hidden = null,
    string? Loss = null,
    int? Epochs = null,
    double? ValidationFraction = null,
    TrainingGrid? Grid = null,
    float? GradientClip = null,
    float? FinalLearningRateFraction = null,
    float? StandardizationFloor = null);

/// <summary>The hyperparameter grid: every combination is one candidate of the population; null keeps the default.</summary>
public sealed record TrainingGrid(float[]? LearningRates = null, int[]? Seeds = null, float[]? InputNoise = null, float[]? Mixup = null);

/// <summary>The recipe a job runs, every value resolved.</summary>
public sealed record TrainingRecipeResponse(
    int Hidden, string Loss, int Epochs, double ValidationFraction, float[] LearningRates, int[] Seeds, float[] InputNoise,
    float[] Mixup, float GradientClip, float FinalLearningRateFraction, float StandardizationFloor, int Candidates);

public sealed record NamedReference(Guid Id, string Name);

/// <summary>A training job: status (<c>QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED</c>), progress, history and result.</summary>
/// <param name="Progress">Epochs done out of the recipe's, in 0…1, counting the current epoch's steps.</param>
/// <param name="DeviceSeconds">Seconds the compute backends spent on the job's launches.</param>
/// <param name="Version">The version the job registered (PENDING), once it succeeded.</param>
public sealed record TrainingJobResponse(
    Guid Id,
    string Status,
    NamedReference Model,
    NamedReference Dataset,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double Progress,
    int EpochsDone,
    TrainingRecipeResponse Recipe,
    EpochSummaryResponse[] History,
    CandidateResponse[] Candidates,
    int? BestCandidate,
    double DeviceSeconds,
    double CostUsd,
    string Backend,
    int Resumes,
    int? Version,
    string? Error,
    string? CancelledBy,
    long Revision)
{
    [JsonIgnore]
    public bool IsFinished => TrainingJobStatuses.IsFinished(Status);
}

public static class TrainingJobStatuses
{
    public static bool IsFinished(string status) => status is "SUCCEEDED" or "FAILED" or "CANCELLED";
}

public sealed record EpochSummaryResponse(
    int Epoch, double? MeanTrainLoss, double BestValidationAccuracy, double MeanValidationAccuracy, int BestCandidate,
    double WallSeconds, double DeviceSeconds);

/// <summary>One candidate's hyperparameters and its scores after the latest epoch (null before the first).</summary>
public sealed record CandidateResponse(
    int Index, float LearningRate, int Seed, float InputNoise, float Mixup, double? TrainLoss, double? ValidationLoss,
    double? ValidationAccuracy, int RejectedSteps);

/// <summary>A job as <c>GET /v1/training/jobs</c> lists it.</summary>
public sealed record TrainingJobSummary(
    Guid Id, string Status, NamedReference Model, Guid DatasetId, string RequestedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, double Progress, int EpochsDone, int Epochs, int Candidates,
    double? BestValidationAccuracy, int? Version, double DeviceSeconds, decimal CostUsd, string? Error);

/// <summary>
/// A job's <c>progress</c> event on <c>GET /v1/training/jobs/{id}/events</c>. The stream ends with an <c>end</c> event
/// carrying the whole finished job (a <see cref="TrainingJobResponse"/>), which the SDK hands out as <see cref="Job"/>.
/// </summary>
public sealed record TrainingProgress(
    Guid Id, string Status, double Progress, int EpochsDone, int Epochs, double? BestValidationAccuracy, double DeviceSeconds,
    double CostUsd, long Revision)
{
    /// <summary>The finished job, on a stream's last step; never on the wire as part of a progress event.</summary>
    [JsonIgnore]
    public TrainingJobResponse? Job { get; init; }

    public static TrainingProgress Of(TrainingJobResponse job) => new(
        job.Id, job.Status, job.Progress, job.EpochsDone, job.Recipe.Epochs,
        job.History.Length > 0 ? job.History[^1].BestValidationAccuracy : null, job.DeviceSeconds, job.CostUsd, job.Revision)
    {
        Job = job,
    };
}

/// <summary><c>POST /v1/models/{id}/versions/{v}/evaluate</c>: score the version on a registered dataset (name or id).</summary>
public sealed record EvaluateRequest(string? Dataset);

/// <summary>A version's accuracy on a dataset, each class's precision and recall, and the confusion matrix (<c>[actual][predicted]</c>).</summary>
public sealed record VersionEvaluationResponse(
    NamedReference Model, int Version, NamedReference Dataset, int Rows, double Accuracy, ClassMetricsResponse[] PerClass,
    int[][] Confusion, DateTimeOffset EvaluatedAt);

public sealed record ClassMetricsResponse(string Class, double Precision, double Recall, int Support);
