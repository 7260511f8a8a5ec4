using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization;

/// <summary>
/// Applies <see cref="OptimizationPlan"/>s to a model on a compute backend, and analyses the usual ones side by side
/// (<see cref="AnalyzeAsync"/>): int8; 25, 50 and 75 % of the hidden units pruned; a student a quarter as wide; and
/// half the units pruned in int8. Every figure is on the model's validation split, in the table that would serve it.
/// </summary>
public sealed class ModelOptimizer(IComputeBackend backend, TimeSpan? speedWindow = null)
{
    /// <summary>The pruning fractions an analysis tries.</summary>
    public static readonly double[] PruneFractions = [0.25, 0.5, 0.75];

    private readonly ModelScorer _scorer = new(backend, speedWindow);

    /// <summary>The original model as it serves now (fp32).</summary>
    public Task<ModelScore> ScoreOriginalAsync(OptimizationSubject subject, CancellationToken cancellationToken = default) =>
        _scorer.ScoreAsync(subject.Architecture, subject.Weights, int8: false, subject.Data.Validation, cancellationToken);

    /// <summary>
    /// The plans an analysis compares: int8, each pruning fraction, distillation, and the combination; those a model
    /// is too small for (a quarter of 2 hidden units removes none) are left out.
    /// </summary>
    public static IReadOnlyList<OptimizationPlan> AnalysisPlans(OptimizationSubject subject, AnalysisOptions options)
    {
        var plans = new List<OptimizationPlan> { new() { Int8 = true } };
        plans.AddRange(PruneFractions.Select(fraction => new OptimizationPlan { PruneFraction = fraction, FineTuneEpochs = options.FineTuneEpochs }));
        if (subject.IsClassifier && subject.Architecture.Hidden > 1)
        {
            plans.Add(new OptimizationPlan
            {
                StudentHidden = options.StudentHidden ?? Math.Max(1, subject.Architecture.Hidden / 4),
                Teacher = subject.Population.Count > 0 ? TeacherKind.Ensemble : TeacherKind.Version,
                EnsembleSize = Math.Min(options.EnsembleSize, Math.Max(1, subject.Population.Count)),
                DistillEpochs = options.DistillEpochs,
            });
        }

        plans.Add(new OptimizationPlan { PruneFraction = 0.5, FineTuneEpochs = options.FineTuneEpochs, Int8 = true });
        return plans.Where(plan => plan.Problems(subject.Architecture, subject.IsClassifier, subject.Population.Count).Count == 0).ToArray();
    }

    /// <summary>Every analysis plan applied and scored; plans that share a pruning step compute it once.</summary>
    public async Task<OptimizationReport> AnalyzeAsync(OptimizationSubject subject, AnalysisOptions options, CancellationToken cancellationToken = default)
    {
        var original = await ScoreOriginalAsync(subject, cancellationToken);
        var results = new List<OptimizedModel>();
        var pruned = new Dictionary<(double, int), Step>();
        foreach (var plan in AnalysisPlans(subject, options))
        {
            results.Add(await ApplyAsync(subject, plan, original, pruned, cancellationToken));
        }

        return new OptimizationReport(subject.Architecture, original, results, backend.Name);
    }

    /// <summary>Applies one plan and scores the result against the original.</summary>
    /// <exception cref="ArgumentException">The plan does not fit the model (<see cref="OptimizationPlan.Problems"/>).</exception>
    public async Task<(OptimizedModel Model, ModelScore Original)> ApplyAsync(
        OptimizationSubject subject, OptimizationPlan plan, CancellationToken cancellationToken = default)
    {
        var original = await ScoreOriginalAsync(subject, cancellationToken);
        return (await ApplyAsync(subject, plan, original, [], cancellationToken), original);
    }

    private async Task<OptimizedModel> ApplyAsync(
        OptimizationSubject subject, OptimizationPlan plan, ModelScore original, Dictionary<(double, int), Step> pruned, CancellationToken cancellationToken)
    {
        if (plan.Problems(subject.Architecture, subject.IsClassifier, subject.Population.Count) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(plan));
        }

        var step = new Step(subject.Architecture, subject.Weights);
        var teacherAccuracy = double.NaN;
        if (plan.StudentHidden is { } hidden)
        {
            var members = plan.Teacher == TeacherKind.Ensemble ? subject.Population.Take(plan.EnsembleSize).ToArray() : [subject.Weights];
            using var teacher = await EnsembleTeacher.CreateAsync(backend, subject.Architecture, members, plan.Temperature, plan.HardTargetWeight);
            teacherAccuracy = members.Length == 1 ? original.Accuracy : await EnsembleAccuracyAsync(teacher, subject.Data.Validation);
            var (architecture, weights, _) = await Distillation.TrainStudentAsync(
                backend, subject.Data, subject.Recipe, hidden, plan.DistillEpochs, plan.DistillSeed, teacher, cancellationToken);
            step = new Step(architecture, weights);
        }

        if (plan.PruneFraction > 0)
        {
            var key = (plan.PruneFraction, plan.FineTuneEpochs);
            if (plan.StudentHidden is not null || !pruned.TryGetValue(key, out var done))
            {
                done = await PruneAsync(subject, step, plan, cancellationToken);
                if (plan.StudentHidden is null)
                {
                    pruned[key] = done;
                }
            }

            step = done;
        }

        var score = await _scorer.ScoreAsync(step.Architecture, step.Weights, plan.Int8, subject.Data.Validation, cancellationToken);
        var weightsOut = plan.Int8 ? Int8Quantization.Dequantize(step.Architecture, step.Weights) : step.Weights;
        return new OptimizedModel(plan, step.Architecture, weightsOut, score, original.Accuracy == 0 ? 0 : score.Accuracy / original.Accuracy)
        {
            FineTuned = step.FineTuned,
            PrunedAccuracyBeforeFineTuning = step.AccuracyBeforeFineTuning,
            TeacherAccuracy = teacherAccuracy,
        };
    }

    /// <summary>Removes the least important hidden units, then fine-tunes if that helps on validation.</summary>
    private async Task<Step> PruneAsync(OptimizationSubject subject, Step from, OptimizationPlan plan, CancellationToken cancellationToken)
    {
        var importance = StructuredPruning.Importance(from.Architecture, from.Weights, subject.Data.Train);
        var kept = StructuredPruning.MostImportant(importance, plan.PruneFraction);
        var (narrow, weights) = StructuredPruning.Remove(from.Architecture, from.Weights, kept);
        var accuracy = await _scorer.AccuracyAsync(narrow, weights, int8: false, subject.Data.Validation, cancellationToken);
        if (plan.FineTuneEpochs > 0)
        {
            var (tuned, tunedAccuracy) = await StructuredPruning.FineTuneAsync(
                backend, subject.Data, subject.Recipe, narrow, weights, plan.FineTuneEpochs, cancellationToken);
            if (tunedAccuracy > accuracy)
            {
                return new Step(narrow, tuned) { FineTuned = true, AccuracyBeforeFineTuning = accuracy };
            }
        }

        return new Step(narrow, weights) { AccuracyBeforeFineTuning = accuracy };
    }

    private async Task<double> EnsembleAccuracyAsync(EnsembleTeacher teacher, LabelledData validation)
    {
        var k = teacher.Architecture.Outputs;
        var targets = new float[validation.Rows * k];
        await teacher.TeachAsync(validation.Values.ToArray(), targets);
        var correct = 0;
        for (var row = 0; row < validation.Rows; row++)
        {
            correct += Scoring.ArgMax(targets.AsSpan(row * k, k)) == validation.Labels[row] ? 1 : 0;
        }

        return (double)correct / validation.Rows;
    }

    /// <summary>A model between steps.</summary>
    private sealed record Step(MlpArchitecture Architecture, float[] Weights)
    {
        public bool FineTuned { get; init; }

        public double AccuracyBeforeFineTuning { get; init; } = double.NaN;
    }
}

/// <summary>How an analysis runs its training steps: fine-tuning after pruning, and the distilled student.</summary>
public sealed record AnalysisOptions
{
    public int FineTuneEpochs { get; init; } = 20;

    public int DistillEpochs { get; init; } = 60;

    /// <summary>The student's width; null: a quarter of the model's.</summary>
    public int? StudentHidden { get; init; }

    public int EnsembleSize { get; init; } = 4;
}

/// <summary>An analysis: the original model's score, and each plan's result, on one backend.</summary>
public sealed record OptimizationReport(MlpArchitecture Architecture, ModelScore Original, IReadOnlyList<OptimizedModel> Results, string Backend);
