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
}
