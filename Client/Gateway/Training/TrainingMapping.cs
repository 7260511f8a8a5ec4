using Galaxy.Contracts;
using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Gateway.Training;

/// <summary>Between the training API's contracts and the recipe, the grain's request and its state.</summary>
internal static class TrainingMapping
{
    /// <summary>The body's recipe over the default one; every problem with it, worded for its author.</summary>
    public static (TrainingRecipe Recipe, IReadOnlyList<string> Problems) ToRecipe(TrainingJobSpec body)
    {
        var defaults = TrainingRecipe.Default;
        var problems = new List<string>();
        var loss = defaults.Loss;
        if (body.Loss is { } name && !Enum.TryParse(name, ignoreCase: true, out loss))
        {
            problems.Add("loss must be CrossEntropy or MeanSquaredError.");
        }

        var recipe = defaults with
        {
            Hidden = body.Hidden ?? defaults.Hidden,
            Loss = loss,
            Epochs = body.Epochs ?? defaults.Epochs,
            ValidationFraction = body.ValidationFraction ?? defaults.ValidationFraction,
            LearningRates = body.Grid?.LearningRates ?? defaults.LearningRates,
            Seeds = body.Grid?.Seeds ?? defaults.Seeds,
            InputNoise = body.Grid?.InputNoise ?? defaults.InputNoise,
            Mixup = body.Grid?.Mixup ?? defaults.Mixup,
            GradientClip = body.GradientClip ?? defaults.GradientClip,
            FinalLearningRateFraction = body.FinalLearningRateFraction ?? defaults.FinalLearningRateFraction,
            StandardizationFloor = body.StandardizationFloor ?? defaults.StandardizationFloor,
        };
        problems.AddRange(recipe.Problems());
        return (recipe, problems);
    }

    public static TrainingRecipeSpec ToSpec(this TrainingRecipe recipe) => new(
        recipe.Hidden,
        recipe.Loss == LossKind.CrossEntropy ? LossFunction.CrossEntropy : LossFunction.MeanSquaredError,
        recipe.Epochs,
        recipe.ValidationFraction,
        [.. recipe.LearningRates],
        [.. recipe.Seeds],
        [.. recipe.InputNoise],
        [.. recipe.Mixup],
        recipe.GradientClip,
        recipe.FinalLearningRateFraction,
        recipe.StandardizationFloor);

    public static string StatusName(TrainingJobStatus status) => status.ToString().ToUpperInvariant();

    public static TrainingJobResponse ToResponse(this TrainingJobState job)
    {
        var request = job.Request!;
        var recipe = request.Recipe;
        return new TrainingJobResponse(
            job.JobId,
            StatusName(job.Status),
            new NamedReference(request.ModelId, request.ModelName),
            new NamedReference(request.DatasetId, request.DatasetName),
            request.RequestedBy,
            job.CreatedAt,
            job.StartedAt,
            job.EndedAt,
            job.Progress,
            job.EpochsDone,
            new TrainingRecipeResponse(
                recipe.Hidden, recipe.Loss.ToString(), recipe.Epochs, recipe.ValidationFraction, recipe.LearningRates, recipe.Seeds,
                recipe.InputNoise, recipe.Mixup, recipe.GradientClip, recipe.FinalLearningRateFraction, recipe.StandardizationFloor,
                job.Candidates.Count),
            job.History.Select(e => new EpochSummaryResponse(
                e.Epoch, Finite(e.MeanTrainLoss), e.BestValidationAccuracy, e.MeanValidationAccuracy, e.BestCandidate, e.WallSeconds, e.DeviceSeconds)).ToArray(),
            job.Candidates.Select(c => new CandidateResponse(
                c.Index, c.LearningRate, c.Seed, c.InputNoise, c.Mixup, Finite(c.TrainLoss), Finite(c.ValidationLoss),
                Finite(c.ValidationAccuracy), c.RejectedSteps)).ToArray(),
            job.BestCandidate,
            job.DeviceSeconds,
            job.CostUsd,
            job.Backend,
            job.Resumes,
            job.Version,
            job.Error,
            job.CancelledBy,
            job.Revision);
    }

    public static TrainingJobSummary ToSummary(this Registry.Training.TrainingJobRow row) => new(
        row.JobId, row.Status, new NamedReference(row.ModelId, row.ModelName), row.DatasetId, row.RequestedBy, row.CreatedAt,
        row.StartTime, row.EndTime, row.Progress, row.EpochsDone, row.Epochs, row.Candidates, row.BestValidationAccuracy,
        row.Version, row.DeviceSeconds, row.CostUsd, row.Error);

    // JSON has no NaN: a score not measured yet is null.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
