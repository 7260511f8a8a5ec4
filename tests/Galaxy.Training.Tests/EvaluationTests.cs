using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Training.Tests;

public sealed class EvaluationTests
{
    [Fact]
    public void The_report_counts_the_confusion_and_reads_precision_and_recall_from_it()
    {
        // actual a a a b b c; predicted a a b b c c
        var report = ClassificationReport.FromPredictions(["a", "b", "c"], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);

        Assert.Equal(4.0 / 6, report.Accuracy, 12);
        Assert.Equal([2, 1, 0], report.Confusion[0]);
        Assert.Equal([0, 1, 1], report.Confusion[1]);
        Assert.Equal(new ClassScore("a", 1.0, 2.0 / 3, 3), report.PerClass[0]);
        Assert.Equal(new ClassScore("b", 0.5, 0.5, 2), report.PerClass[1]);
        Assert.Equal(new ClassScore("c", 0.5, 1.0, 1), report.PerClass[2]);
    }

    [Fact]
    public async Task The_evaluator_predicts_the_largest_output_of_the_standardised_row()
    {
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd, MaxBatchRows = 3 });
        var architecture = new MlpArchitecture(2, 3, 2);
        var weights = new float[architecture.ParameterCount];
        architecture.InitializeParameters(11, weights);
        var standardization = new Standardization([1f, -1f], [0.5f, 2f]);
        var raw = new float[] { 3, 0, -2, 1, 0.5f, 0.25f, 7, -3, 1, 1 };
        var data = new LabelledData(2, raw, [0, 1, 1, 0, 0], ["x", "y"]);

        var report = await ModelEvaluator.EvaluateAsync(backend, architecture, weights, standardization, data);

        var expected = new int[data.Rows];
        for (var row = 0; row < data.Rows; row++)
        {
            var x = data.Row(row).ToArray();
            standardization.Apply(x);
            var y = ReferenceMlp.Forward(architecture, ReferenceMlp.ToDouble(weights), ReferenceMlp.ToDouble(x));
            expected[row] = y[1] > y[0] ? 1 : 0;
        }

        Assert.Equal(ClassificationReport.FromPredictions(data.Classes, data.Labels, expected).Confusion, report.Confusion);
        Assert.Equal(5, report.Rows);
    }
}
