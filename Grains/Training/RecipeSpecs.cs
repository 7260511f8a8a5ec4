using Galaxy.Training;

namespace Galaxy.Grains.Training;

/// <summary>A recipe as the wire carries it (<see cref="TrainingRecipeSpec"/>), as the trainer takes it.</summary>
public static class RecipeSpecs
{
    public static TrainingRecipe ToRecipe(this TrainingRecipeSpec spec) => new()
    {
        Hidden = spec.Hidden,
        Loss = spec.Loss.ToKernelLoss(),
        Epochs = spec.Epochs,
        ValidationFraction = spec.ValidationFraction,
        LearningRates = spec.LearningRates,
        Seeds = spec.Seeds,
        InputNoise = spec.InputNoise,
        Mixup = spec.Mixup,
        GradientClip = spec.GradientClip,
        FinalLearningRateFraction = spec.FinalLearningRateFraction,
        StandardizationFloor = spec.StandardizationFloor,
    };
}
