using System.ComponentModel.DataAnnotations;

namespace Galaxy.Grains;

/// <summary>How units learn until the model registry assigns per-version settings; bound from <c>Galaxy:Learning</c>.</summary>
public sealed class LearningOptions
{
    public const string Section = "Galaxy:Learning";

    public LossFunction Loss { get; set; } = LossFunction.MeanSquaredError;

    [Range(1e-6, 10.0)]
    public float LearningRate { get; set; } = 0.05f;

    /// <summary>The largest L2 norm a step's gradient may have; 0 turns clipping off.</summary>
    [Range(0.0, 1e6)]
    public float GradientClip { get; set; } = 5f;

    public LearnSpec ToSpec() => new(Loss, LearningRate, GradientClip);
}
