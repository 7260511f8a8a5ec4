namespace Galaxy.Grains;

/// <summary>Galaxy's serializable model terms in the kernels' own.</summary>
public static class KernelConversions
{
    public static MlpArchitecture ToArchitecture(this ModelShape shape) => new(shape.Inputs, shape.Hidden, shape.Outputs);

    public static ModelShape ToShape(this MlpArchitecture architecture) => new(architecture.Inputs, architecture.Hidden, architecture.Outputs);

    public static LearnSettings ToSettings(this LearnSpec spec) => new(spec.Loss.ToKernelLoss(), spec.LearningRate, spec.GradientClip);

    public static LossKind ToKernelLoss(this LossFunction loss) =>
        loss == LossFunction.CrossEntropy ? LossKind.CrossEntropy : LossKind.MeanSquaredError;

    public static LossFunction ToLossFunction(this LossKind loss) =>
        loss == LossKind.CrossEntropy ? LossFunction.CrossEntropy : LossFunction.MeanSquaredError;
}
