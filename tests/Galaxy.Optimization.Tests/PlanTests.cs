using Galaxy.Kernels;

namespace Galaxy.Optimization.Tests;

public sealed class PlanTests
{
    private static readonly MlpArchitecture Model = new(64, 128, 10);

    [Fact]
    public void Pruning_every_hidden_unit_is_a_problem()
    {
        var problems = new OptimizationPlan { PruneFraction = 1.0 }.Problems(Model, isClassifier: true, populationSize: 0);

        Assert.Contains(problems, problem => problem.Contains("pruneFraction must lie in [0, 1)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(200)]
    public void A_student_as_large_as_its_teacher_or_larger_is_a_problem(int student)
    {
        var problems = new OptimizationPlan { StudentHidden = student }.Problems(Model, isClassifier: true, populationSize: 0);

        Assert.Contains(problems, problem => problem.Contains("smaller than its teacher's 128", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ensemble_teacher_needs_a_population_and_distillation_a_classifier()
    {
        var plan = new OptimizationPlan { StudentHidden = 32, Teacher = TeacherKind.Ensemble };

        Assert.Contains(plan.Problems(Model, isClassifier: true, populationSize: 0), problem => problem.Contains("training population", StringComparison.Ordinal));
        Assert.Contains(plan.Problems(Model, isClassifier: false, populationSize: 4), problem => problem.Contains("cross-entropy", StringComparison.Ordinal));
        Assert.Empty(plan.Problems(Model, isClassifier: true, populationSize: 4));
    }

    [Fact]
    public void A_plan_names_its_technique_and_settings()
    {
        var plan = new OptimizationPlan { PruneFraction = 0.5, FineTuneEpochs = 20, Int8 = true };

        Assert.Equal("pruned+int8", plan.Technique);
        Assert.Equal("0.5", plan.Settings()["pruneFraction"]);
        Assert.Equal("20", plan.Settings()["fineTuneEpochs"]);
        Assert.Equal("int8", new OptimizationPlan { Int8 = true }.Technique);
        Assert.Equal("distilled", new OptimizationPlan { StudentHidden = 32 }.Technique);
        Assert.NotEmpty(new OptimizationPlan().Problems(Model, true, 0));
    }

    [Fact]
    public void Out_of_range_settings_are_each_a_problem()
    {
        var plan = new OptimizationPlan
        {
            StudentHidden = 0, DistillEpochs = 0, HardTargetWeight = 2, Temperature = 0, EnsembleSize = 0, FineTuneEpochs = -1, PruneFraction = double.NaN,
        };

        var problems = plan.Problems(Model, isClassifier: true, populationSize: 4);

        Assert.Equal(7, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("studentHidden must be at least 1", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("distillEpochs", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("hardTargetWeight", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("temperature", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("ensembleSize", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("fineTuneEpochs", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("pruneFraction", StringComparison.Ordinal));
        Assert.Contains(
            new OptimizationPlan { PruneFraction = 0.003 }.Problems(Model, true, 0), problem => problem.Contains("removes none", StringComparison.Ordinal));
    }

    [Fact]
    public void A_distilled_plan_records_its_teacher_and_an_optimized_model_its_figures_against_its_parent()
    {
        var plan = new OptimizationPlan { StudentHidden = 32, Teacher = TeacherKind.Ensemble, EnsembleSize = 4, Int8 = true };
        var settings = plan.Settings();
        var original = new ModelScore(0.98, 38_440, 1_000);
        var model = new OptimizedModel(plan, new MlpArchitecture(64, 32, 10), [], new ModelScore(0.97, 2_800, 4_000), 0.97 / 0.98)
        {
            TeacherAccuracy = 0.985,
        };

        Assert.Equal("distilled+int8", plan.Technique);
        Assert.Equal("ensemble of 4", settings["teacher"]);
        Assert.Equal("32", settings["studentHidden"]);
        Assert.Equal("int8, one scale per row", settings["weights"]);
        var metrics = model.Metrics(original);
        Assert.Equal(0.97, metrics["validation_accuracy"]);
        Assert.Equal(0.98, metrics["parent_validation_accuracy"]);
        Assert.Equal(2_800, metrics["parameter_bytes"]);
        Assert.Equal(38_440, metrics["parent_parameter_bytes"]);
        Assert.Equal(4_000, metrics["forward_rows_per_s"]);
        Assert.Equal(0.985, metrics["teacher_validation_accuracy"]);
        Assert.False(metrics.ContainsKey("fine_tuned"));
        Assert.True(model.Int8);
        Assert.Equal(1.0, (model with { PrunedAccuracyBeforeFineTuning = 0.9, FineTuned = true }).Metrics(original)["fine_tuned"]);
    }
}
