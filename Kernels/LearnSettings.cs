namespace Galaxy.Kernels;

/// <summary>The loss a learn step minimises. Targets are always <c>K</c> floats per row.</summary>
public enum LossKind
{
    /// <summary>
    /// Mean squared error over the K outputs: <c>L = (1/K)·Σ_k (y_k − t_k)²</c>, so <c>∂L/∂y_k = (2/K)·(y_k − t_k)</c>.
    /// </summary>
    MeanSquaredError,

    /// <summary>
    /// Softmax cross-entropy: <c>L = −Σ_k t_k·log softmax(y)_k</c>, so <c>∂L/∂y_k = softmax(y)_k·Σ_j t_j − t_k</c>.
    /// The target row is a probability vector over the K classes (one-hot for a class label); every entry must be ≥ 0.
    /// </summary>
    CrossEntropy,
}

/// <summary>
/// One SGD step's settings: <c>θ ← θ − LearningRate·c·g</c>, where g is the row's loss gradient (zero on pruned
/// parameters) and <c>c = min(1, GradientClip / ‖g‖₂)</c> when <see cref="GradientClip"/> &gt; 0, else 1.
/// </summary>
/// <param name="Loss">The loss to minimise.</param>
/// <param name="LearningRate">The step size η: finite and &gt; 0.</param>
/// <param name="GradientClip">The largest L2 norm a row's gradient may have (finite, ≥ 0); 0 turns clipping off.</param>
public readonly record struct LearnSettings(LossKind Loss, float LearningRate, float GradientClip = 0f)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Loss))
        {
            throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Unknown loss.");
        }

        if (!float.IsFinite(LearningRate) || LearningRate <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and > 0.");
        }

        if (!float.IsFinite(GradientClip) || GradientClip < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(GradientClip), GradientClip, "The gradient clip must be finite and ≥ 0 (0 = off).");
        }
    }
}

/// <summary>What a learn batch did beyond the per-row losses.</summary>
/// <param name="Rejected">
/// Rows whose step was rejected because its loss, gradient norm or any updated parameter would not be finite: those
/// units' parameters are unchanged and their loss is reported as NaN.
/// </param>
public readonly record struct LearnResult(int Rejected);
