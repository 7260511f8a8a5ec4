using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization;

/// <summary>Distillation: a smaller student trained with the model's recipe on a teacher's probabilities.</summary>
public static class Distillation
{
    /// <summary>
    /// Trains one student per learning rate of <paramref name="recipe"/> (seed <paramref name="seed"/>, width
    /// <paramref name="hidden"/>, <paramref name="epochs"/> epochs) on <paramref name="teacher"/>'s targets; returns
    /// the best on validation, and its validation accuracy.
    /// </summary>
    public static async Task<(MlpArchitecture Architecture, float[] Weights, double Accuracy)> TrainStudentAsync(
        IComputeBackend backend, TrainingSet data, TrainingRecipe recipe, int hidden, int epochs, int seed, ITeacher? teacher,
        CancellationToken cancellationToken)
    {
        var student = recipe with { Hidden = hidden, Epochs = epochs, Seeds = [seed] };
        using var trainer = await PopulationTrainer.CreateAsync(backend, data, student, teacher: teacher);
        EpochReport? last = null;
        while (trainer.EpochsDone < epochs)
        {
            last = await trainer.RunEpochAsync(cancellationToken);
        }

        return (trainer.Architecture, await trainer.WeightsAsync(last!.Best), last.BestScore.ValidationAccuracy);
    }
}
