namespace Galaxy.Grains;

/// <summary>What to train, on what, by whom: a job's immutable input.</summary>
/// <param name="ModelId">The registry model the resulting version joins.</param>
/// <param name="DatasetId">The registered dataset to train on.</param>
/// <param name="Recipe">Every hyperparameter, resolved: a job resumed by a later build trains exactly what was asked.</param>
[GenerateSerializer, Immutable, Alias("galaxy.training-job-request")]
public sealed record TrainingJobRequest(
    [property: Id(0)] Guid ModelId,
    [property: Id(1)] string ModelName,
    [property: Id(2)] Guid DatasetId,
    [property: Id(3)] string DatasetName,
    [property: Id(4)] TrainingRecipeSpec Recipe,
    [property: Id(5)] string RequestedBy,
    [property: Id(6)] DateTimeOffset RequestedAt);

/// <summary>A training recipe as it crosses the wire and is kept (the fields of <c>Galaxy.Training.TrainingRecipe</c>).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.training-recipe")]
public sealed record TrainingRecipeSpec(
    [property: Id(0)] int Hidden,
    [property: Id(1)] LossFunction Loss,
    [property: Id(2)] int Epochs,
    [property: Id(3)] double ValidationFraction,
    [property: Id(4)] float[] LearningRates,
    [property: Id(5)] int[] Seeds,
    [property: Id(6)] float[] InputNoise,
    [property: Id(7)] float[] Mixup,
    [property: Id(8)] float GradientClip,
    [property: Id(9)] float FinalLearningRateFraction,
    [property: Id(10)] float StandardizationFloor);
