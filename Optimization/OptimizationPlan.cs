using System.Globalization;
using Galaxy.Kernels;

namespace Galaxy.Optimization;

/// <summary>Who teaches a distilled student: the model itself, or an ensemble of its training population's best candidates.</summary>
public enum TeacherKind
{
    Version,
    Ensemble,
}

/// <summary>
/// What to do to a model, in this order: distil it into a student of <see cref="StudentHidden"/> hidden units; remove
/// <see cref="PruneFraction"/> of its hidden units (whole neurons, so H shrinks), fine-tuning for
/// <see cref="FineTuneEpochs"/> where that helps; quantise its weights to int8. Each step is optional; the result is
/// deterministic, so the plan an analysis reports gives the same model when it is applied.
/// </summary>
public sealed record OptimizationPlan
{
    public const int MaxEpochs = 1_000;
    public const int MaxEnsemble = 64;

    /// <summary>The hidden width of a distilled student; null: no distillation.</summary>
    public int? StudentHidden { get; init; }

    public TeacherKind Teacher { get; init; } = TeacherKind.Version;

    /// <summary>Members of an ensemble teacher: the population's best, at most this many.</summary>
    public int EnsembleSize { get; init; } = 4;

    /// <summary>Epochs the student trains, with the model's recipe (its learning rates, augmentation and schedule).</summary>
    public int DistillEpochs { get; init; } = 60;

    /// <summary>Seed of the student's candidates (one per learning rate of the recipe).</summary>
    public int DistillSeed { get; init; } = 1;

    /// <summary>
    /// Weight of the recipe's own (one-hot or mixed) target in the student's target; the teacher's probabilities have
    /// the rest. 0.3 with <see cref="Temperature"/> 1 did best on the digits (BENCHMARKS.md, "Optimization").
    /// </summary>
    public float HardTargetWeight { get; init; } = 0.3f;

    /// <summary>Temperature of the teacher's softmax.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Share of hidden units to remove, in [0, 1): the least important (<see cref="StructuredPruning.Importance"/>).</summary>
    public double PruneFraction { get; init; }

    /// <summary>Epochs of fine-tuning after pruning (0: none); kept only where it raises validation accuracy.</summary>
    public int FineTuneEpochs { get; init; }

    public bool Int8 { get; init; }

    /// <summary>The technique's name as versions record it: <c>distilled</c>, <c>pruned</c>, <c>int8</c>, joined by <c>+</c>.</summary>
    public string Technique
    {
        get
        {
            var steps = new List<string>();
            if (StudentHidden is not null)
            {
                steps.Add("distilled");
            }

            if (PruneFraction > 0)
            {
                steps.Add("pruned");
            }

            if (Int8)
            {
                steps.Add("int8");
            }

            return steps.Count == 0 ? "none" : string.Join('+', steps);
        }
    }

    /// <summary>The plan's settings as a version's lineage records them.</summary>
    public IReadOnlyDictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>();
        if (StudentHidden is { } hidden)
        {
            settings["studentHidden"] = Text(hidden);
            settings["teacher"] = Teacher == TeacherKind.Ensemble ? $"ensemble of {EnsembleSize}" : "version";
            settings["distillEpochs"] = Text(DistillEpochs);
            settings["distillSeed"] = Text(DistillSeed);
            settings["hardTargetWeight"] = Text(HardTargetWeight);
            settings["temperature"] = Text(Temperature);
        }

        if (PruneFraction > 0)
        {
            settings["pruneFraction"] = Text(PruneFraction);
            settings["fineTuneEpochs"] = Text(FineTuneEpochs);
        }

        if (Int8)
        {
            settings["weights"] = "int8, one scale per row";
        }

        return settings;
    }

    /// <summary>Every problem with this plan for a model of <paramref name="architecture"/>; empty when it is valid.</summary>
    public IReadOnlyList<string> Problems(MlpArchitecture architecture, bool isClassifier, int populationSize)
    {
        var problems = new List<string>();
        if (StudentHidden is null && PruneFraction == 0 && !Int8)
        {
            problems.Add("The plan does nothing: give a student size, a pruning fraction or int8.");
        }

        if (StudentHidden is { } student)
        {
            if (student < 1)
            {
                problems.Add("studentHidden must be at least 1.");
            }
            else if (student >= architecture.Hidden)
            {
                problems.Add($"studentHidden must be smaller than its teacher's {architecture.Hidden} hidden units; a student of {student} is not.");
            }

            if (!isClassifier)
            {
                problems.Add("Distillation needs a classifier trained with cross-entropy: the student learns the teacher's class probabilities.");
            }

            if (DistillEpochs is < 1 or > MaxEpochs)
            {
                problems.Add($"distillEpochs must lie in 1…{MaxEpochs}.");
            }

            if (!float.IsFinite(HardTargetWeight) || HardTargetWeight is < 0 or > 1)
            {
                problems.Add("hardTargetWeight must lie in 0…1.");
            }

            if (!float.IsFinite(Temperature) || Temperature is <= 0 or > 100)
            {
                problems.Add("temperature must lie in (0, 100].");
            }

            if (Teacher == TeacherKind.Ensemble && populationSize == 0)
            {
                problems.Add("An ensemble teacher needs the version's training population, which this version does not have (it was not trained by a job, or its job kept no population).");
            }

            if (EnsembleSize is < 1 or > MaxEnsemble)
            {
                problems.Add($"ensembleSize must lie in 1…{MaxEnsemble}.");
            }
        }

        if (!double.IsFinite(PruneFraction) || PruneFraction is < 0 or >= 1)
        {
            problems.Add("pruneFraction must lie in [0, 1): pruning every hidden unit leaves no model.");
        }
        else if (PruneFraction > 0 && StructuredPruning.Kept(StudentHidden ?? architecture.Hidden, PruneFraction) == (StudentHidden ?? architecture.Hidden))
        {
            problems.Add($"pruneFraction {Text(PruneFraction)} of {StudentHidden ?? architecture.Hidden} hidden units removes none.");
        }

        if (FineTuneEpochs is < 0 or > MaxEpochs)
        {
            problems.Add($"fineTuneEpochs must lie in 0…{MaxEpochs}.");
        }

        return problems;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
