using System.Diagnostics;
using Galaxy.Optimization;
using Galaxy.Registry;
using Microsoft.Extensions.Logging;

namespace Galaxy.Grains.Optimization;

/// <summary>
/// Runs optimizations on this silo's compute backend (<see cref="ModelOptimizer"/>), off the grain scheduler, and
/// registers their results. Its work is seconds to minutes of compute and training; nothing of it is kept in the grain.
/// </summary>
[StatelessWorker]
public sealed partial class OptimizationGrain(
    IComputeBackend backend, OptimizationSubjects subjects, ModelRegistry registry, TimeProvider clock, ILogger<OptimizationGrain> logger)
    : ControlPlaneGrain, IOptimizationGrain
{
    public async Task<OptimizationAnalysis> Analyze(OptimizationTarget target, AnalysisSettings settings)
    {
        var started = Stopwatch.GetTimestamp();
        var (version, datasetId, subject) = await subjects.LoadAsync(target, CancellationToken.None);
        var options = new AnalysisOptions
        {
            FineTuneEpochs = settings.FineTuneEpochs,
            DistillEpochs = settings.DistillEpochs,
            StudentHidden = settings.StudentHidden,
            EnsembleSize = settings.EnsembleSize,
        };
        if (settings.StudentHidden is { } student && student >= subject.Architecture.Hidden)
        {
            throw new InvalidOptimizationException(
                $"studentHidden must be smaller than its teacher's {subject.Architecture.Hidden} hidden units; a student of {student} is not.");
        }

        var report = await Task.Run(() => new ModelOptimizer(backend).AnalyzeAsync(subject, options));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        LogAnalyzed(logger, version.ModelName, version.Version, seconds);
        return new OptimizationAnalysis(
            version.ModelId, version.ModelName, version.Version, version.ToShape(), report.Original.Accuracy, report.Original.ParameterBytes,
            report.Original.RowsPerSecond, report.Results.Select(Outcome).ToArray(), report.Backend, subject.Data.Validation.Rows, datasetId,
            seconds, clock.GetUtcNow());
    }

    public async Task<OptimizedVersion> Optimize(OptimizationTarget target, OptimizationPlanSpec spec, string actor)
    {
        var (version, datasetId, subject) = await subjects.LoadAsync(target, CancellationToken.None);
        var plan = spec.ToPlan();
        if (plan.Problems(subject.Architecture, subject.IsClassifier, subject.Population.Count) is { Count: > 0 } problems)
        {
            throw new InvalidOptimizationException(string.Join(" ", problems));
        }

        var (model, original) = await Task.Run(() => new ModelOptimizer(backend).ApplyAsync(subject, plan));
        var metrics = new Dictionary<string, double>(model.Metrics(original)) { ["validation_rows"] = subject.Data.Validation.Rows };
        var created = await registry.CreateVersionAsync(
            version.ModelId,
            new NewModelVersion(
                model.Architecture.Inputs, model.Architecture.Hidden, model.Architecture.Outputs, version.Loss, model.Weights,
                version.Preprocessing, version.Classes, version.FeatureNames, metrics,
                new VersionLineage(null, datasetId, null, version.Version, plan.Technique) { Settings = plan.Settings() }),
            actor,
            CancellationToken.None);
        LogOptimized(logger, version.ModelName, version.Version, plan.Technique, created.Version);
        return new OptimizedVersion(version.ModelId, created.Version, version.Version, Outcome(model));
    }

    private static TechniqueOutcome Outcome(OptimizedModel model) => new(
        model.Plan.ToSpec(),
        model.Plan.Technique,
        new Dictionary<string, string>(model.Plan.Settings()),
        new ModelShape(model.Architecture.Inputs, model.Architecture.Hidden, model.Architecture.Outputs),
        model.Score.Accuracy,
        model.KeptRatio,
        model.Score.ParameterBytes,
        model.Score.RowsPerSecond,
        double.IsNaN(model.PrunedAccuracyBeforeFineTuning) ? null : model.FineTuned,
        double.IsNaN(model.PrunedAccuracyBeforeFineTuning) ? null : model.PrunedAccuracyBeforeFineTuning,
        double.IsNaN(model.TeacherAccuracy) ? null : model.TeacherAccuracy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysed the optimizations of {Model}:{Version} in {Seconds:F1} s.")]
    private static partial void LogAnalyzed(ILogger logger, string model, int version, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Optimized {Model}:{Version} ({Technique}) into version {Created}.")]
    private static partial void LogOptimized(ILogger logger, string model, int version, string technique, int created);
}
