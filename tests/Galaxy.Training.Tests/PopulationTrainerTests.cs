using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Training.Tests;

public sealed class PopulationTrainerTests
{
    private static readonly TrainingRecipe SmallRecipe = new()
    {
        Hidden = 6,
        Epochs = 3,
        LearningRates = [0.05f, 0.2f],
        Seeds = [1, 2],
        InputNoise = [0f, 0.3f],
        Mixup = [0.4f],
    };

    public static TheoryData<ComputeBackendKind> Backends => new() { ComputeBackendKind.Simd, ComputeBackendKind.IlgpuCpu };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_population_learns_exactly_what_each_candidate_learns_alone(ComputeBackendKind kind)
    {
        using var backend = Backend(kind);
        var set = TrainingSet.Prepare(Datasets.Blobs(classes: 3, features: 5, perClass: 40), SmallRecipe);
        using var population = await PopulationTrainer.CreateAsync(backend, set, SmallRecipe);
        var populationReports = await RunAllAsync(population);

        foreach (var candidate in SmallRecipe.Candidates())
        {
            using var alone = await PopulationTrainer.CreateAsync(backend, set, SmallRecipe, [candidate]);
            var aloneReports = await RunAllAsync(alone);

            Assert.Equal(await alone.WeightsAsync(0), await population.WeightsAsync(candidate.Index));
            Assert.Equal(aloneReports[^1].Scores[0], populationReports[^1].Scores[candidate.Index]);
        }
    }

    [Fact]
    public async Task A_population_resumed_from_a_checkpoint_ends_where_an_uninterrupted_one_does()
    {
        using var backend = Backend(ComputeBackendKind.Simd);
        var recipe = SmallRecipe with { Epochs = 4 };
        var set = TrainingSet.Prepare(Datasets.Blobs(classes: 3, features: 5, perClass: 40), recipe);
        using var uninterrupted = await PopulationTrainer.CreateAsync(backend, set, recipe);
        var expected = await RunAllAsync(uninterrupted);

        PopulationCheckpoint checkpoint;
        using (var interrupted = await PopulationTrainer.CreateAsync(backend, set, recipe))
        {
            await interrupted.RunEpochAsync();
            await interrupted.RunEpochAsync();
            checkpoint = await interrupted.CheckpointAsync();
        }

        using var resumed = await PopulationTrainer.CreateAsync(backend, set, recipe);
        await resumed.RestoreAsync(checkpoint);
        Assert.Equal(2, resumed.EpochsDone);
        var reports = await RunAllAsync(resumed);

        Assert.Equal((await uninterrupted.CheckpointAsync()).Parameters, (await resumed.CheckpointAsync()).Parameters);
        Assert.Equal(expected[^1].Scores, reports[^1].Scores);
    }

    [Fact]
    public async Task Training_separates_well_separated_classes_and_lowers_the_loss()
    {
        using var backend = Backend(ComputeBackendKind.Simd);
        var recipe = SmallRecipe with { Epochs = 8, InputNoise = [0f], Mixup = [0f] };
        var set = TrainingSet.Prepare(Datasets.Blobs(4, 6, 50), recipe);
        using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe);

        var reports = await RunAllAsync(trainer);

        Assert.All(reports[^1].Scores, score => Assert.True(score.ValidationAccuracy >= 0.95, $"validation accuracy {score.ValidationAccuracy}"));
        Assert.All(reports[^1].Scores.Zip(reports[0].Scores), pair => Assert.True(pair.First.TrainLoss < pair.Second.TrainLoss));
        Assert.Equal(8L * set.Train.Rows * trainer.Candidates.Count, reports.Sum(report => report.SampleSteps));
        Assert.True(trainer.DeviceTime > TimeSpan.Zero);
        Assert.Equal(1.0, trainer.Progress);
    }

    [Fact]
    public async Task A_small_recipe_on_the_digits_reaches_96_percent_on_held_out_rows()
    {
        using var backend = Backend(ComputeBackendKind.Simd);
        var recipe = TrainingRecipe.Default with { Hidden = 32, Epochs = 12, LearningRates = [0.02f], Seeds = [1, 2] };
        using var trainer = await PopulationTrainer.CreateAsync(backend, TrainingSet.Prepare(await Datasets.DigitsAsync(), recipe), recipe);

        var reports = await RunAllAsync(trainer);

        Assert.True(reports[^1].BestScore.ValidationAccuracy >= 0.96, $"best validation accuracy {reports[^1].BestScore.ValidationAccuracy}");
    }

    [Fact]
    public async Task An_epoch_past_the_last_and_a_checkpoint_of_another_population_are_refused()
    {
        using var backend = Backend(ComputeBackendKind.Simd);
        var recipe = SmallRecipe with { Epochs = 1 };
        var set = TrainingSet.Prepare(Datasets.Blobs(3, 5, 20), recipe);
        using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe);
        await trainer.RunEpochAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => trainer.RunEpochAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => trainer.RestoreAsync(new PopulationCheckpoint(0, new float[3])));
        await Assert.ThrowsAsync<ArgumentException>(() => PopulationTrainer.CreateAsync(backend, set, recipe with { Epochs = 0 }));
    }

    [Fact]
    public async Task Cancellation_stops_an_epoch_between_launches()
    {
        using var backend = Backend(ComputeBackendKind.Simd);
        using var trainer = await PopulationTrainer.CreateAsync(backend, TrainingSet.Prepare(Datasets.Blobs(3, 5, 20), SmallRecipe), SmallRecipe);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.RunEpochAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0, trainer.EpochsDone);
    }

    private static IComputeBackend Backend(ComputeBackendKind kind) =>
        ComputeBackends.Create(new ComputeOptions { Backend = kind, MaxBatchRows = 256 });

    private static async Task<List<EpochReport>> RunAllAsync(PopulationTrainer trainer)
    {
        var reports = new List<EpochReport>();
        while (trainer.Progress < 1.0)
        {
            reports.Add(await trainer.RunEpochAsync());
        }

        return reports;
    }
}
