using System.Diagnostics;
using Galaxy.Kernels;
using Galaxy.Registry;
using Galaxy.Testing.Processes;
using Galaxy.Training;

namespace Galaxy.Bench;

/// <summary>
/// <c>galaxy bench training</c>, on the example digits (64-128-10, the default recipe's shape): populations of 1, 64,
/// 256 and 1,024 candidates, one learn launch per step for all of them, against a loop that trains the same candidates
/// one at a time (sample-steps per second and the speedup); each population's efficiency, its sample-steps per second
/// over the learn kernel's rows per second on a 4,096-row batch of distinct units of the same shape, measured in the
/// same run; and the default recipe end to end (validation accuracy, wall and device seconds).
/// Options: <c>--backend simd|ilgpucpu|cuda|opencl</c> (default: the best available, as a silo picks),
/// <c>--quick</c> (a quarter of the rows, no 1,024-candidate population, 10 epochs of the recipe).
/// </summary>
public sealed class TrainingBenchmark : IBenchmark
{
    private static readonly int[] PopulationSizes = [1, 64, 256, 1024];
    private static readonly float[] LearningRates = [0.005f, 0.01f, 0.015f, 0.02f, 0.025f, 0.03f, 0.035f, 0.04f];

    // One at a time, the rate per candidate is the same for every candidate: timing this many of them is enough.
    private const int AloneSample = 4;

    public string Name => "training";

    public string Description => "Population training: candidates per launch vs one at a time, vs the learn kernel; the digits recipe.";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var quick = args.Contains("--quick");
        var kind = args.SkipWhile(a => a != "--backend").Skip(1).Select(name => Enum.Parse<ComputeBackendKind>(name, ignoreCase: true))
            .FirstOrDefault(ComputeBackendKind.Auto);
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = kind });
        Console.WriteLine($"backend: {backend.Name}, {Environment.ProcessorCount} cores");

        var digits = await LoadDigitsAsync(cancellationToken);
        var rows = quick ? digits.Select(Enumerable.Range(0, digits.Rows / 4).ToArray()) : digits;
        var speedRecipe = TrainingRecipe.Default with { Epochs = 1, ValidationFraction = 0.05 };
        var set = TrainingSet.Prepare(rows, speedRecipe);
        var architecture = set.Architecture(speedRecipe.Hidden);
        Console.WriteLine($"data: {set.Train.Rows} training rows, {set.Validation.Rows} validation rows; architecture {architecture}");

        await PopulationRateAsync(backend, set, speedRecipe, Grid(64)); // warm-up: JIT and caches
        var kernelRows = await KernelRowsPerSecondAsync(backend, architecture);
        report.Record("training.learn_kernel_rows_per_s", kernelRows, "rows/s", $"4,096 distinct units of {architecture} per launch");

        var alone = await AloneRateAsync(backend, set, speedRecipe, Grid(AloneSample));
        report.Record("training.one_at_a_time_samples_per_s", alone, "samples/s", $"{AloneSample} candidates, each alone in its table");
        foreach (var size in PopulationSizes.Where(size => !quick || size <= 256))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rate = await PopulationRateAsync(backend, set, speedRecipe, Grid(size));
            report.Record($"training.samples_per_s.p{size}", rate, "samples/s", $"{size} candidates, one launch per step");
            report.Record($"training.population_speedup.p{size}", rate / alone, "ratio", "over the same candidates one at a time");
            report.Record($"training.population_efficiency.p{size}", rate / kernelRows, "fraction", "of the learn kernel's rows/s");
        }

        var recipe = quick ? TrainingRecipe.Default with { Epochs = 10 } : TrainingRecipe.Default;
        await DefaultRecipeAsync(report, backend, digits, recipe, cancellationToken);
    }

    /// <summary>The grid's first <paramref name="size"/> points: 8 learning rates, then as many seeds as it takes.</summary>
    private static IReadOnlyList<Candidate> Grid(int size) =>
        (TrainingRecipe.Default with { LearningRates = LearningRates, Seeds = Enumerable.Range(1, (size + 7) / 8).ToArray() })
        .Candidates().Take(size).ToArray();

    /// <summary>Sample-steps per second of one epoch of the whole population (its validation pass included).</summary>
    private static async Task<double> PopulationRateAsync(
        IComputeBackend backend, TrainingSet set, TrainingRecipe recipe, IReadOnlyList<Candidate> candidates)
    {
        using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe, candidates);
        var epoch = await trainer.RunEpochAsync();
        return epoch.SampleSteps / epoch.WallTime.TotalSeconds;
    }

    /// <summary>Sample-steps per second of the same work, each candidate trained by itself, one after another.</summary>
    private static async Task<double> AloneRateAsync(
        IComputeBackend backend, TrainingSet set, TrainingRecipe recipe, IReadOnlyList<Candidate> candidates)
    {
        var (steps, seconds) = (0L, 0.0);
        foreach (var candidate in candidates)
        {
            using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe, [candidate]);
            var epoch = await trainer.RunEpochAsync();
            (steps, seconds) = (steps + epoch.SampleSteps, seconds + epoch.WallTime.TotalSeconds);
        }

        return steps / seconds;
    }

    /// <summary>The fused learn kernel on its own: 4,096 distinct units per launch, for about a second, after a warm-up.</summary>
    private static async Task<double> KernelRowsPerSecondAsync(IComputeBackend backend, MlpArchitecture architecture)
    {
        const int units = 4096;
        var rows = Math.Min(units, backend.MaxBatchRows);
        using var table = backend.CreateTable(architecture, units);
        var parameters = new float[units * architecture.ParameterCount];
        for (var unit = 0; unit < units; unit++)
        {
            architecture.InitializeParameters(unit, parameters.AsSpan(unit * architecture.ParameterCount, architecture.ParameterCount));
        }

        await table.LoadUnitsAsync(0, parameters);
        var random = new Random(5);
        var slots = Enumerable.Range(0, rows).ToArray();
        var inputs = Enumerable.Range(0, rows * architecture.Inputs).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var targets = new float[rows * architecture.Outputs];
        for (var row = 0; row < rows; row++)
        {
            targets[row * architecture.Outputs + row % architecture.Outputs] = 1f;
        }

        var losses = new float[rows];
        var settings = new LearnSettings(LossKind.CrossEntropy, 0.01f, 5f);
        await table.LearnStepAsync(slots, inputs, targets, settings, losses);
        var launches = 0;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1) || launches < 3)
        {
            await table.LearnStepAsync(slots, inputs, targets, settings, losses);
            launches++;
        }

        return (double)launches * rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The default recipe on the digits, as a training job runs it: every epoch, the best candidate's validation accuracy.</summary>
    private static async Task DefaultRecipeAsync(
        BenchReport report, IComputeBackend backend, LabelledData digits, TrainingRecipe recipe, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var set = TrainingSet.Prepare(digits, recipe);
        using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe);
        EpochReport? last = null;
        while (trainer.EpochsDone < recipe.Epochs)
        {
            last = await trainer.RunEpochAsync(cancellationToken);
            if (last.Epoch % 10 == 0)
            {
                Console.WriteLine($"digits epoch {last.Epoch}: best validation accuracy {last.BestScore.ValidationAccuracy:F4}, mean {last.Scores.Average(s => s.ValidationAccuracy):F4}");
            }
        }

        var note = $"{trainer.Candidates.Count} candidates of {trainer.Architecture}, {recipe.Epochs} epochs, {set.Validation.Rows} held-out rows";
        report.Record("training.digits_val_accuracy", last!.BestScore.ValidationAccuracy, "fraction", "best candidate; " + note);
        report.Record("training.digits_mean_val_accuracy", last.Scores.Average(s => s.ValidationAccuracy), "fraction", "mean over the candidates");
        report.Record("training.digits_wall_s", Stopwatch.GetElapsedTime(started).TotalSeconds, "s", note);
        report.Record("training.digits_device_s", trainer.DeviceTime.TotalSeconds, "s", "time in the backend's launches");
    }

    private static async Task<LabelledData> LoadDigitsAsync(CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Path.Combine(RepositoryBuild.Root, "datasets", "optdigits-train.csv"));
        var (table, _) = await CsvDataset.ReadAsync(file, "digit", maxBytes: 1 << 20, cancellationToken);
        return LabelledData.FromLabels(table.FeatureNames.Length, table.Features, table.Labels);
    }
}
