using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization.Tests;

public sealed class ModelOptimizerTests
{
    [Fact]
    public async Task An_analysis_reports_every_technique_smaller_and_nearly_as_accurate()
    {
        var subject = await Subjects.TrainedAsync();
        var optimizer = new ModelOptimizer(Subjects.Backend, TimeSpan.FromMilliseconds(20));

        var report = await optimizer.AnalyzeAsync(subject, new AnalysisOptions { FineTuneEpochs = 3, DistillEpochs = 6 });

        Assert.Equal(["int8", "pruned", "pruned", "pruned", "distilled", "pruned+int8"], report.Results.Select(result => result.Plan.Technique));
        Assert.True(report.Original.Accuracy > 0.9, $"the blobs should be easy: {report.Original.Accuracy}");
        Assert.All(report.Results, result =>
        {
            Assert.True(result.Score.ParameterBytes < report.Original.ParameterBytes, $"{result.Plan.Technique} is not smaller");
            Assert.True(result.KeptRatio > 0.8, $"{result.Plan.Technique} kept {result.KeptRatio}");
            Assert.True(result.Score.RowsPerSecond > 0);
        });
        var int8 = report.Results[0];
        Assert.Equal(Int8Quantization.UnitBytes(subject.Architecture), int8.Score.ParameterBytes);
        Assert.Equal(Int8Quantization.Dequantize(subject.Architecture, subject.Weights), int8.Weights);
        Assert.Equal([18, 12, 6], report.Results.Skip(1).Take(3).Select(result => result.Architecture.Hidden));
        var student = report.Results[4];
        Assert.Equal(6, student.Architecture.Hidden);
        Assert.False(double.IsNaN(student.TeacherAccuracy));
        Assert.Equal(12, report.Results[5].Architecture.Hidden);
    }

    [Fact]
    public void An_analysis_leaves_out_what_a_model_is_too_small_for()
    {
        var data = TrainingSet.Prepare(Subjects.Blobs(classes: 3, features: 4, perClass: 10), Subjects.Recipe);
        OptimizationSubject Of(int hidden) => new(new MlpArchitecture(4, hidden, 3), Subjects.RandomWeights(new MlpArchitecture(4, hidden, 3), 1), data, Subjects.Recipe);

        Assert.Equal(["int8"], ModelOptimizer.AnalysisPlans(Of(1), new AnalysisOptions()).Select(plan => plan.Technique));
        Assert.Equal(
            ["int8", "pruned", "pruned", "pruned", "distilled", "pruned+int8"],
            ModelOptimizer.AnalysisPlans(Of(2), new AnalysisOptions()).Select(plan => plan.Technique));
        Assert.Equal(TeacherKind.Version, ModelOptimizer.AnalysisPlans(Of(8), new AnalysisOptions())[4].Teacher);
    }

    [Fact]
    public async Task A_plan_gives_the_same_model_every_time_it_is_applied()
    {
        var subject = await Subjects.TrainedAsync();
        var optimizer = new ModelOptimizer(Subjects.Backend, TimeSpan.FromMilliseconds(10));
        var plan = new OptimizationPlan { PruneFraction = 0.5, FineTuneEpochs = 2, Int8 = true };

        var (first, _) = await optimizer.ApplyAsync(subject, plan);
        var (second, _) = await optimizer.ApplyAsync(subject, plan);

        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.Score.Accuracy, second.Score.Accuracy);
    }

    [Fact]
    public async Task An_int8_model_scores_as_its_dequantised_weights_serve_in_an_int8_table()
    {
        var subject = await Subjects.TrainedAsync();
        var optimizer = new ModelOptimizer(Subjects.Backend, TimeSpan.FromMilliseconds(10));
        var (model, _) = await optimizer.ApplyAsync(subject, new OptimizationPlan { Int8 = true });

        // The registry keeps the dequantised weights; quantising them again gives the very same int8 model.
        var scorer = new ModelScorer(Subjects.Backend);
        var again = await scorer.AccuracyAsync(model.Architecture, model.Weights, int8: true, subject.Data.Validation, CancellationToken.None);
        Assert.Equal(model.Score.Accuracy, again);
    }

    [Fact]
    public async Task An_ensemble_teacher_targets_the_mean_of_its_members_probabilities()
    {
        var architecture = new MlpArchitecture(5, 7, 3);
        var members = new[] { Subjects.RandomWeights(architecture, 1), Subjects.RandomWeights(architecture, 2) };
        using var teacher = await EnsembleTeacher.CreateAsync(Subjects.Backend, architecture, members, temperature: 2f, hardTargetWeight: 0.25f);
        var inputs = new float[] { 0.5f, -1f, 0.25f, 2f, 0f, 1f, 1f, -0.5f, 0.1f, 0.3f };
        var targets = new float[] { 1, 0, 0, 0, 0.5f, 0.5f };

        await teacher.TeachAsync(inputs, targets);

        for (var row = 0; row < 2; row++)
        {
            var x = ReferenceMlp.ToDouble(inputs.AsSpan(row * 5, 5));
            var mean = new double[3];
            foreach (var member in members)
            {
                var y = ReferenceMlp.Forward(architecture, ReferenceMlp.ToDouble(member), x);
                var exp = y.Select(value => Math.Exp((value - y.Max()) / 2)).ToArray();
                for (var k = 0; k < 3; k++)
                {
                    mean[k] += exp[k] / exp.Sum() / members.Length;
                }
            }

            var hard = row == 0 ? new[] { 1.0, 0, 0 } : [0, 0.5, 0.5];
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(0.25 * hard[k] + 0.75 * mean[k], targets[row * 3 + k], 5);
            }
        }
    }
}
