using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization.Tests;

/// <summary>Small trained models to optimise: Gaussian blobs, a short recipe, the SIMD backend.</summary>
internal static class Subjects
{
    public static IComputeBackend Backend { get; } = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd });

    public static TrainingRecipe Recipe { get; } = TrainingRecipe.Default with
    {
        Hidden = 24, Epochs = 8, LearningRates = [0.02f, 0.04f], Seeds = [1, 2], InputNoise = [0.3f], Mixup = [0.2f],
    };

    /// <summary>A population trained on 6 classes of 10-feature blobs; the subject is its best candidate, the population ranked.</summary>
    public static async Task<OptimizationSubject> TrainedAsync()
    {
        var data = Blobs(classes: 6, features: 10, perClass: 60);
        var set = TrainingSet.Prepare(data, Recipe);
        using var trainer = await PopulationTrainer.CreateAsync(Backend, set, Recipe);
        EpochReport? last = null;
        while (trainer.EpochsDone < Recipe.Epochs)
        {
            last = await trainer.RunEpochAsync();
        }

        var ranked = Enumerable.Range(0, trainer.Candidates.Count).OrderByDescending(row => last!.Scores[row].ValidationAccuracy).ToArray();
        var population = new List<float[]>();
        foreach (var row in ranked)
        {
            population.Add(await trainer.WeightsAsync(row));
        }

        return new OptimizationSubject(trainer.Architecture, population[0], set, Recipe) { Population = population };
    }

    public static LabelledData Blobs(int classes, int features, int perClass, int seed = 7)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble() * 4 - 2).ToArray()).ToArray();
        var values = new List<float>();
        var labels = new List<string>();
        for (var row = 0; row < classes * perClass; row++)
        {
            var k = row % classes;
            values.AddRange(centres[k].Select(c => (float)(c + 1.2 * (random.NextDouble() - 0.5))));
            labels.Add($"c{k}");
        }

        return LabelledData.FromLabels(features, values.ToArray(), labels);
    }

    public static float[] RandomWeights(MlpArchitecture architecture, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, architecture.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }
}
