using Galaxy.Optimization;
using Galaxy.Registry;

namespace Galaxy.Grains.Optimization;

/// <summary>Plans and versions between the wire and the optimizer.</summary>
public static class OptimizationPlans
{
    public static OptimizationPlan ToPlan(this OptimizationPlanSpec spec) => new()
    {
        StudentHidden = spec.StudentHidden,
        Teacher = spec.EnsembleTeacher ? TeacherKind.Ensemble : TeacherKind.Version,
        EnsembleSize = spec.EnsembleSize,
        DistillEpochs = spec.DistillEpochs,
        PruneFraction = spec.PruneFraction,
        FineTuneEpochs = spec.FineTuneEpochs,
        Int8 = spec.Int8,
    };

    public static OptimizationPlanSpec ToSpec(this OptimizationPlan plan) => new(
        plan.StudentHidden, plan.Teacher == TeacherKind.Ensemble, plan.EnsembleSize, plan.DistillEpochs, plan.PruneFraction, plan.FineTuneEpochs, plan.Int8);

    public static ModelShape ToShape(this ModelVersion version) => new(version.Inputs, version.Hidden, version.Outputs);
}
