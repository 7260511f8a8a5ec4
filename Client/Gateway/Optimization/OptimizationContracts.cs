using Galaxy.Contracts;

namespace Galaxy.Gateway.Optimization;

/// <summary>
/// <c>POST /v1/optimization/analyze</c>: what each technique would keep of a version. Only <c>Model</c> is required;
/// <c>Version</c> is a number, <c>latest</c> (the default) or an alias; <c>Dataset</c> (name or id) defaults to the one the
/// version's lineage names. The rest tune the training steps: epochs of fine-tuning after pruning (default 20) and of
/// the distilled student (default 60), the student's width (default a quarter of the version's) and the ensemble's size
/// (default 4; the ensemble teaches when the version's training job kept its population, the version itself otherwise).
/// </summary>
public sealed record AnalyzeBody(
    string? Model, string? Version, string? Dataset, int? FineTuneEpochs, int? DistillEpochs, int? StudentHidden, int? EnsembleSize);

/// <summary>
/// <c>POST /v1/models/{id}/versions/{v}/optimize</c>: make one result a version. <c>Technique</c> names a preset
/// (<c>int8</c>; <c>prune</c>: half the hidden units, 20 epochs of fine-tuning; <c>distill</c>: a quarter as wide, the
/// version teaching, 60 epochs; <c>combined</c>: <c>prune</c> then <c>int8</c>); the other fields set or override a plan's
/// settings, with the names an analysis reports each technique's plan under, so a plan from an analysis can be sent back
/// as it is.
/// </summary>
public sealed record OptimizeBody(
    string? Technique, int? StudentHidden, bool? EnsembleTeacher, int? EnsembleSize, int? DistillEpochs, double? PruneFraction,
    int? FineTuneEpochs, bool? Int8, string? Dataset);

/// <summary>The version an optimization registered (PENDING, lineage to its parent), and how its technique did.</summary>
public sealed record OptimizedVersionResponse(ModelVersionResponse Version, TechniqueOutcome Outcome);
