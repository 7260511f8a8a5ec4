namespace Galaxy.Grains;

/// <summary>
/// Makes registered versions smaller and faster on the silo's compute backend: analyses what each technique (int8,
/// structured pruning, distillation, their combination) would keep of a version's accuracy, and registers the chosen
/// result as a new PENDING version with lineage to its parent. Stateless: any silo answers (key 0). Both calls train
/// (fine-tuning, distillation), so they may run for minutes: their response timeout is long.
/// </summary>
[Alias("galaxy.IOptimizationGrain")]
public interface IOptimizationGrain : IGrainWithIntegerKey
{
    /// <exception cref="InvalidOptimizationException">The version cannot be analysed (no classifier, no data).</exception>
    [Alias("Analyze")]
    [ResponseTimeout("00:30:00")]
    Task<OptimizationAnalysis> Analyze(OptimizationTarget target, AnalysisSettings settings);

    /// <exception cref="InvalidOptimizationException">The plan does not fit the version.</exception>
    [Alias("Optimize")]
    [ResponseTimeout("00:30:00")]
    Task<OptimizedVersion> Optimize(OptimizationTarget target, OptimizationPlanSpec plan, string actor);
}

/// <summary>A version to optimise, and the dataset to judge it on (null: the one its lineage names).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.optimization-target")]
public sealed record OptimizationTarget(
    [property: Id(0)] Guid ModelId,
    [property: Id(1)] int Version,
    [property: Id(2)] Guid? DatasetId);

/// <summary>How an analysis trains: epochs of fine-tuning after pruning and of the distilled student, its width, the ensemble's size.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.optimization-analysis-settings")]
public sealed record AnalysisSettings(
    [property: Id(0)] int FineTuneEpochs,
    [property: Id(1)] int DistillEpochs,
    [property: Id(2)] int? StudentHidden,
    [property: Id(3)] int EnsembleSize);

/// <summary>
/// An optimization plan on the wire (the fields of <c>Galaxy.Optimization.OptimizationPlan</c>): distil into a student
/// of <see cref="StudentHidden"/> hidden units, prune <see cref="PruneFraction"/> of the hidden units (fine-tuning
/// <see cref="FineTuneEpochs"/> where that helps), and/or quantise to int8.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.optimization-plan")]
public sealed record OptimizationPlanSpec(
    [property: Id(0)] int? StudentHidden,
    [property: Id(1)] bool EnsembleTeacher,
    [property: Id(2)] int EnsembleSize,
    [property: Id(3)] int DistillEpochs,
    [property: Id(4)] double PruneFraction,
    [property: Id(5)] int FineTuneEpochs,
    [property: Id(6)] bool Int8);

/// <summary>
/// One technique's result: the plan that makes it, its name and settings, the shape it leaves, its validation accuracy
/// and the share of the version's it keeps, its parameter bytes and forward rows per second on the backend.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.optimization-outcome")]
public sealed record TechniqueOutcome(
    [property: Id(0)] OptimizationPlanSpec Plan,
    [property: Id(1)] string Technique,
    [property: Id(2)] Dictionary<string, string> Settings,
    [property: Id(3)] ModelShape Shape,
    [property: Id(4)] double Accuracy,
    [property: Id(5)] double KeptRatio,
    [property: Id(6)] long ParameterBytes,
    [property: Id(7)] double RowsPerSecond,
    [property: Id(8)] bool? FineTuned,
    [property: Id(9)] double? AccuracyBeforeFineTuning,
    [property: Id(10)] double? TeacherAccuracy);

/// <summary>A version's analysis: its own figures, each technique's, where and how long it was measured.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.optimization-analysis")]
public sealed record OptimizationAnalysis(
    [property: Id(0)] Guid ModelId,
    [property: Id(1)] string ModelName,
    [property: Id(2)] int Version,
    [property: Id(3)] ModelShape Shape,
    [property: Id(4)] double Accuracy,
    [property: Id(5)] long ParameterBytes,
    [property: Id(6)] double RowsPerSecond,
    [property: Id(7)] TechniqueOutcome[] Techniques,
    [property: Id(8)] string Backend,
    [property: Id(9)] int ValidationRows,
    [property: Id(10)] Guid DatasetId,
    [property: Id(11)] double Seconds,
    [property: Id(12)] DateTimeOffset AnalyzedAt);

/// <summary>The version an optimization registered, and how it did.</summary>
[GenerateSerializer, Immutable, Alias("galaxy.optimized-version")]
public sealed record OptimizedVersion(
    [property: Id(0)] Guid ModelId,
    [property: Id(1)] int Version,
    [property: Id(2)] int ParentVersion,
    [property: Id(3)] TechniqueOutcome Outcome);

/// <summary>A version that cannot be optimised as asked: no classifier, no data to judge it on, or a plan that does not fit it.</summary>
[GenerateSerializer, Alias("galaxy.invalid-optimization")]
public sealed class InvalidOptimizationException : Exception
{
    public InvalidOptimizationException()
    {
    }

    public InvalidOptimizationException(string message)
        : base(message)
    {
    }

    public InvalidOptimizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
