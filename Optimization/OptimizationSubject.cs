using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization;

/// <summary>
/// A trained model to optimise, with what the techniques need: its data, split and standardised as it was trained
/// (<see cref="TrainingSet.Split"/> with the model's own preprocessing), the recipe that trained it (fine-tuning and
/// distillation train the same way), and optionally its training population, best first, for an ensemble teacher.
/// </summary>
public sealed record OptimizationSubject(MlpArchitecture Architecture, float[] Weights, TrainingSet Data, TrainingRecipe Recipe)
{
    /// <summary>The packed weights of the population the model was the best of, best first (same architecture); may be empty.</summary>
    public IReadOnlyList<float[]> Population { get; init; } = [];

    /// <summary>Whether the model is a classifier trained with cross-entropy, which distillation needs (soft targets).</summary>
    public bool IsClassifier => Recipe.Loss == LossKind.CrossEntropy && Data.Train.Classes.Count == Architecture.Outputs;
}
