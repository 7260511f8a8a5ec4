namespace Galaxy.Training;

/// <summary>
/// One point of a recipe's hyperparameter grid: a model trained in its own row of the population's table.
/// </summary>
/// <param name="Index">Its row in the population (and in every report).</param>
/// <param name="LearningRate">The peak SGD step size; the schedule anneals it (see <see cref="TrainingRecipe"/>).</param>
/// <param name="Seed">Seeds its initial weights and its stream of shuffles and augmentations.</param>
/// <param name="InputNoise">Standard deviation of the Gaussian noise added to each standardised input (0 = none).</param>
/// <param name="Mixup">α of mixup's Beta(α, α) mixing weight (0 = none): each sample is blended with a random other one, and so is its target.</param>
public sealed record Candidate(int Index, float LearningRate, int Seed, float InputNoise, float Mixup);
