using Galaxy.Kernels;

namespace Galaxy.Optimization;

/// <summary>
/// A plan applied to a model: the resulting architecture and weights (fp32 in the packed layout; for an int8 plan the
/// dequantised weights, <c>scale·q</c>, which an int8 table quantises back to exactly the same int8 weights), how it
/// scores against the original, and what the pruning step did.
/// </summary>
public sealed record OptimizedModel(OptimizationPlan Plan, MlpArchitecture Architecture, float[] Weights, ModelScore Score, double KeptRatio)
{
    /// <summary>Whether the pruned model was fine-tuned (only when that raised its validation accuracy).</summary>
    public bool FineTuned { get; init; }

    /// <summary>The pruned model's validation accuracy before any fine-tuning (NaN when nothing was pruned).</summary>
    public double PrunedAccuracyBeforeFineTuning { get; init; } = double.NaN;

    /// <summary>The teacher's validation accuracy, for a distilled model (NaN otherwise).</summary>
    public double TeacherAccuracy { get; init; } = double.NaN;

    public bool Int8 => Plan.Int8;

    /// <summary>The metrics a version derived from it records.</summary>
    public IReadOnlyDictionary<string, double> Metrics(ModelScore original)
    {
        var metrics = new Dictionary<string, double>
        {
            ["validation_accuracy"] = Score.Accuracy,
            ["kept_ratio"] = KeptRatio,
            ["parent_validation_accuracy"] = original.Accuracy,
            ["parameter_bytes"] = Score.ParameterBytes,
            ["parent_parameter_bytes"] = original.ParameterBytes,
            ["forward_rows_per_s"] = Score.RowsPerSecond,
            ["parent_forward_rows_per_s"] = original.RowsPerSecond,
        };
        if (!double.IsNaN(PrunedAccuracyBeforeFineTuning))
        {
            metrics["pruned_accuracy_before_fine_tuning"] = PrunedAccuracyBeforeFineTuning;
            metrics["fine_tuned"] = FineTuned ? 1 : 0;
        }

        if (!double.IsNaN(TeacherAccuracy))
        {
            metrics["teacher_validation_accuracy"] = TeacherAccuracy;
        }

        return metrics;
    }
}
