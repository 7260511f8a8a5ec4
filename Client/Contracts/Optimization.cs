namespace Galaxy.Contracts;

/// <summary>
/// <c>POST /v1/optimization/analyze</c>: what each technique would keep of a version. Only <c>Model</c> is required;
/// <c>Version</c> is a number, <c>latest</c> (the default) or an alias; <c>Dataset</c> (name or id) defaults to the one the
/// version's lineage names. The rest tune the training steps: epochs of fine-tuning after pruning (default 20) and of
/// the distilled student (default 60), the student's width (default a quarter of the version's) and the ensemble's size
/// (default 4; the ensemble teaches when the version's training job kept its population, the version itself otherwise).
/// </summary>
public sealed record AnalyzeBody(
    string? Model, string? Version = null, string? Dataset = null, int? FineTuneEpochs = null, int? DistillEpochs = null, int? StudentHidden = null,
    int? EnsembleSize = null);

/// <summary>
/// <c>POST /v1/models/{id}/versions/{v}/optimize</c>: make one result a version. <c>Technique</c> names a preset
/// (<c>int8</c>; <c>prune</c>: half the hidden units, 20 epochs of fine-tuning; <c>distill</c>: a quarter as wide, the
/// version teaching, 60 epochs; <c>combined</c>: <c>prune</c> then <c>int8</c>); the other fields set or override a plan's
/// settings, with the names an analysis reports each technique's plan under, so a plan from an analysis can be sent back
/// as it is.
/// </summary>
public sealed record OptimizeBody(
    string? Technique = null, int? StudentHidden = null, bool? EnsembleTeacher = null, int? EnsembleSize = null, int? DistillEpochs = null,
    double? PruneFraction = null, int? FineTuneEpochs = null, bool? Int8 = null, string? Dataset = null);

/// <summary>
/// A technique's plan as an analysis reports it: distil into a student of <paramref name="StudentHidden"/> hidden units,
/// prune <paramref name="PruneFraction"/> of the hidden units (fine-tuning <paramref name="FineTuneEpochs"/>), and/or
/// quantise to int8. Its fields are <see cref="OptimizeBody"/>'s.
/// </summary>
public sealed record OptimizationPlanResponse(
    int? StudentHidden, bool EnsembleTeacher, int EnsembleSize, int DistillEpochs, double PruneFraction, int FineTuneEpochs, bool Int8);

/// <summary>
/// One technique's result: the plan that makes it, its name and settings, the shape it leaves, its validation accuracy
/// and the share of the version's it keeps, its parameter bytes and forward rows per second on the serving backend.
/// </summary>
public sealed record TechniqueOutcomeResponse(
    OptimizationPlanResponse Plan, string Technique, IReadOnlyDictionary<string, string> Settings, ModelArchitecture Shape, double Accuracy,
    double KeptRatio, long ParameterBytes, double RowsPerSecond, bool? FineTuned, double? AccuracyBeforeFineTuning, double? TeacherAccuracy);

/// <summary>A version's analysis: its own figures, each technique's, where and how long it was measured.</summary>
public sealed record OptimizationAnalysisResponse(
    Guid ModelId, string ModelName, int Version, ModelArchitecture Shape, double Accuracy, long ParameterBytes, double RowsPerSecond,
    TechniqueOutcomeResponse[] Techniques, string Backend, int ValidationRows, Guid DatasetId, double Seconds, DateTimeOffset AnalyzedAt);

/// <summary>The version an optimization registered (PENDING, lineage to its parent), and how its technique did.</summary>
public sealed record OptimizedVersionResponse(ModelVersionResponse Version, TechniqueOutcomeResponse Outcome);
