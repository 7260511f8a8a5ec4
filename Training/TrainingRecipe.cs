using Galaxy.Kernels;

namespace Galaxy.Training;

/// <summary>
/// How a population is trained: the architecture's hidden width and loss, the schedule, the validation split, and the
/// hyperparameter grid whose every point (<see cref="Candidates"/>) is one model of the population.
/// </summary>
/// <remarks>
/// Every candidate takes one SGD step per training sample per epoch, on a freshly shuffled order, with its learning
/// rate annealed from its peak to <see cref="FinalLearningRateFraction"/> of it along a half cosine over the epochs.
/// Inputs are standardised (<see cref="Standardization.Fit"/>, floor <see cref="StandardizationFloor"/>), then
/// augmented per candidate (mixup, Gaussian noise): on small data such as the 3,823 digits these are what lift a unit-size
/// model from plain SGD's accuracy on new writers to the target (BENCHMARKS.md, "Training").
/// </remarks>
public sealed record TrainingRecipe
{
    public const int MaxCandidates = 1_024;
    public const int MaxEpochs = 1_000;

    /// <summary>The default: H = 128, cross-entropy, 200 epochs, 20 % held out, 4 learning rates × 4 seeds.</summary>
    public static TrainingRecipe Default { get; } = new();

    public int Hidden { get; init; } = 128;

    public LossKind Loss { get; init; } = LossKind.CrossEntropy;

    public int Epochs { get; init; } = 200;

    /// <summary>Of each class's rows, the share held out to judge and choose the candidates (<see cref="LabelledData.Split"/>).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    public IReadOnlyList<float> LearningRates { get; init; } = [0.01f, 0.015f, 0.02f, 0.03f];

    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3, 4];

    public IReadOnlyList<float> InputNoise { get; init; } = [0.5f];

    public IReadOnlyList<float> Mixup { get; init; } = [0.4f];

    /// <summary>The largest L2 norm of one sample's gradient (0 = no clipping).</summary>
    public float GradientClip { get; init; } = 5f;

    /// <summary>Where the cosine schedule ends, as a fraction of each candidate's peak learning rate.</summary>
    public float FinalLearningRateFraction { get; init; } = 0.02f;

    /// <summary>The smallest standard deviation a feature is scaled by, as a fraction of the mean deviation.</summary>
    public float StandardizationFloor { get; init; } = 0.2f;

    /// <summary>The grid, learning rates varying fastest, then seeds, noise and mixup.</summary>
    public IReadOnlyList<Candidate> Candidates()
    {
        var candidates = new List<Candidate>();
        foreach (var mixup in Mixup)
        {
            foreach (var noise in InputNoise)
            {
                foreach (var seed in Seeds)
                {
                    foreach (var rate in LearningRates)
                    {
                        candidates.Add(new Candidate(candidates.Count, rate, seed, noise, mixup));
                    }
                }
            }
        }

        return candidates;
    }

    /// <summary>The learning-rate multiplier of epoch <paramref name="epoch"/> (0-based).</summary>
    public float ScheduleFactor(int epoch)
    {
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs));
        return (float)(FinalLearningRateFraction + (1 - FinalLearningRateFraction) * cosine);
    }

    /// <summary>Every problem with this recipe, worded for the person who wrote it; empty when it is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Hidden is < 1 or > MlpArchitecture.MaxDimension)
        {
            problems.Add($"hidden must lie in 1…{MlpArchitecture.MaxDimension}.");
        }

        if (!Enum.IsDefined(Loss))
        {
            problems.Add("loss must be CrossEntropy or MeanSquaredError.");
        }

        if (Epochs is < 1 or > MaxEpochs)
        {
            problems.Add($"epochs must lie in 1…{MaxEpochs}.");
        }

        if (!(ValidationFraction is >= 0.01 and <= 0.5))
        {
            problems.Add("validationFraction must lie in 0.01…0.5.");
        }

        Grid(problems, "learningRates", LearningRates, rate => float.IsFinite(rate) && rate is > 0 and <= 10, "finite, > 0 and ≤ 10");
        Grid(problems, "seeds", Seeds, _ => true, "");
        Grid(problems, "inputNoise", InputNoise, noise => float.IsFinite(noise) && noise is >= 0 and <= 10, "finite and in 0…10");
        Grid(problems, "mixup", Mixup, alpha => float.IsFinite(alpha) && alpha is >= 0 and <= 10, "finite and in 0…10");
        var candidates = (long)LearningRates.Count * Seeds.Count * InputNoise.Count * Mixup.Count;
        if (candidates > MaxCandidates)
        {
            problems.Add($"the grid makes {candidates} candidates; at most {MaxCandidates} train at once.");
        }

        if (!float.IsFinite(GradientClip) || GradientClip < 0)
        {
            problems.Add("gradientClip must be finite and ≥ 0 (0 = off).");
        }

        if (!float.IsFinite(FinalLearningRateFraction) || FinalLearningRateFraction is <= 0 or > 1)
        {
            problems.Add("finalLearningRateFraction must lie in (0, 1].");
        }

        if (!float.IsFinite(StandardizationFloor) || StandardizationFloor is < 0 or > 1)
        {
            problems.Add("standardizationFloor must lie in 0…1.");
        }

        return problems;
    }

    private static void Grid<T>(List<string> problems, string name, IReadOnlyList<T>? values, Func<T, bool> valid, string rule)
    {
        if (values is null || values.Count == 0)
        {
            problems.Add($"{name} needs at least one value.");
        }
        else if (values.Distinct().Count() != values.Count)
        {
            problems.Add($"{name} lists a value twice.");
        }
        else if (!values.All(valid))
        {
            problems.Add($"every value of {name} must be {rule}.");
        }
    }
}
