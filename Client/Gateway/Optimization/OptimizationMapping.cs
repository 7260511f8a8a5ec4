using Galaxy.Contracts;
using Galaxy.Gateway.Endpoints;

namespace Galaxy.Gateway.Optimization;

/// <summary>The optimization grain's answers as the HTTP contract writes them.</summary>
internal static class OptimizationMapping
{
    public static OptimizationAnalysisResponse ToResponse(this OptimizationAnalysis analysis) => new(
        analysis.ModelId, analysis.ModelName, analysis.Version, analysis.Shape.ToContract(), analysis.Accuracy, analysis.ParameterBytes,
        analysis.RowsPerSecond, [.. analysis.Techniques.Select(outcome => outcome.ToResponse())], analysis.Backend, analysis.ValidationRows, analysis.DatasetId,
        analysis.Seconds, analysis.AnalyzedAt);

    public static TechniqueOutcomeResponse ToResponse(this TechniqueOutcome outcome) => new(
        new OptimizationPlanResponse(
            outcome.Plan.StudentHidden, outcome.Plan.EnsembleTeacher, outcome.Plan.EnsembleSize, outcome.Plan.DistillEpochs, outcome.Plan.PruneFraction,
            outcome.Plan.FineTuneEpochs, outcome.Plan.Int8),
        outcome.Technique, new Dictionary<string, string>(outcome.Settings), outcome.Shape.ToContract(), outcome.Accuracy, outcome.KeptRatio,
        outcome.ParameterBytes, outcome.RowsPerSecond, outcome.FineTuned, outcome.AccuracyBeforeFineTuning, outcome.TeacherAccuracy);
}
