using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Training.Tests;

public sealed class DataPreparationTests
{
    [Fact]
    public void Classes_are_the_distinct_labels_in_numeric_order_when_all_are_numbers()
    {
        var numeric = LabelledData.FromLabels(1, new float[4], ["10", "9", "2", "9"]);
        var text = LabelledData.FromLabels(1, new float[3], ["cat", "ant", "bee"]);

        Assert.Equal(["2", "9", "10"], numeric.Classes);
        Assert.Equal([2, 1, 0, 1], numeric.Labels);
        Assert.Equal(["ant", "bee", "cat"], text.Classes);
    }

    [Fact]
    public void A_label_outside_the_models_classes_is_named()
    {
        var error = Assert.Throws<UnknownClassException>(() => LabelledData.WithClasses(1, new float[2], ["1", "7"], ["0", "1"]));

        Assert.Equal(1, error.Row);
        Assert.Contains("'7'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_split_holds_out_the_tail_of_every_class_and_is_the_same_every_time()
    {
        var data = Datasets.Blobs(classes: 3, features: 2, perClass: 10);

        var (train, validation) = data.Split(0.2);
        var (_, again) = data.Split(0.2);

        Assert.Equal([8, 8, 8], train.ClassCounts());
        Assert.Equal([2, 2, 2], validation.ClassCounts());
        Assert.Equal(validation.Values.ToArray(), again.Values.ToArray());
        // Rows 24…29 are the last two of each class (labels cycle 0, 1, 2).
        Assert.Equal(data.Row(24).ToArray(), validation.Row(0).ToArray());
        Assert.Equal(data.Row(29).ToArray(), validation.Row(5).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(1.0));
    }

    [Fact]
    public void Standardisation_centres_and_scales_each_feature_with_a_floor_under_its_deviation()
    {
        // Feature 0 varies (deviation 2), feature 1 barely (0.01), feature 2 never.
        var data = new LabelledData(3, [1, 5, 7, 5, 5.02f, 7], [0, 1], ["a", "b"]);

        var standardization = Standardization.Fit(data, floorFraction: 0.5f);

        Assert.Equal([3f, 5.01f, 7f], standardization.Offsets);
        var meanDeviation = (2 + 0.01 + 0) / 3;
        Assert.Equal(0.5f, standardization.Scales[0], 1e-5f);
        Assert.Equal((float)(1 / (0.5 * meanDeviation)), standardization.Scales[1], 1e-3f);
        Assert.Equal((float)(1 / (0.5 * meanDeviation)), standardization.Scales[2], 1e-3f);
        var row = new float[] { 1, 5, 7 };
        standardization.Apply(row);
        Assert.Equal(-1f, row[0], 1e-5f);
        Assert.Equal(1f, Standardization.Fit(new LabelledData(1, [3, 3], [0, 1], ["a", "b"]), 0.5f).Scales[0]);
    }

    [Fact]
    public void A_recipe_names_every_value_out_of_range()
    {
        var recipe = TrainingRecipe.Default with
        {
            Hidden = 0,
            Epochs = 5_000,
            LearningRates = [float.NaN],
            Seeds = [1, 1],
            Mixup = [],
            ValidationFraction = 0.9,
        };

        var problems = recipe.Problems();

        Assert.Contains(problems, p => p.StartsWith("hidden", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("epochs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("learningRates", StringComparison.Ordinal));
        Assert.Contains(problems, p => p == "seeds lists a value twice.");
        Assert.Contains(problems, p => p == "mixup needs at least one value.");
        Assert.Contains(problems, p => p.StartsWith("validationFraction", StringComparison.Ordinal));
        Assert.Empty(TrainingRecipe.Default.Problems());
        Assert.Contains(
            (TrainingRecipe.Default with { LearningRates = Enumerable.Range(1, 100).Select(i => i / 1000f).ToArray(), Seeds = Enumerable.Range(1, 11).ToArray() }).Problems(),
            p => p.Contains("1100 candidates", StringComparison.Ordinal));
    }

    [Fact]
    public void A_recipe_names_its_loss_clip_schedule_and_floor_when_out_of_range()
    {
        var recipe = TrainingRecipe.Default with
        {
            Loss = (LossKind)7,
            GradientClip = -1f,
            FinalLearningRateFraction = 0f,
            StandardizationFloor = 2f,
        };

        var problems = recipe.Problems();

        Assert.Equal(
            [
                "loss must be CrossEntropy or MeanSquaredError.",
                "gradientClip must be finite and ≥ 0 (0 = off).",
                "finalLearningRateFraction must lie in (0, 1].",
                "standardizationFloor must lie in 0…1.",
            ],
            problems);
    }

    [Fact]
    public void The_squared_error_loss_is_the_mean_over_outputs_of_the_distance_to_the_one_hot_label()
    {
        float[] outputs = [0.5f, 2f, -1f, 0f];

        var loss = Scoring.Loss(LossKind.MeanSquaredError, outputs, label: 1);

        // (0.5² + 1² + 1² + 0²) / 4
        Assert.Equal(0.5625, loss, precision: 6);
    }

    [Fact]
    public void The_grid_varies_the_learning_rate_fastest_and_the_schedule_anneals_it()
    {
        var recipe = TrainingRecipe.Default with { LearningRates = [0.1f, 0.2f], Seeds = [5, 6], InputNoise = [0f, 1f], Mixup = [0f] };

        var candidates = recipe.Candidates();

        Assert.Equal(8, candidates.Count);
        Assert.Equal(new Candidate(1, 0.2f, 5, 0f, 0f), candidates[1]);
        Assert.Equal(new Candidate(2, 0.1f, 6, 0f, 0f), candidates[2]);
        Assert.Equal(new Candidate(7, 0.2f, 6, 1f, 0f), candidates[7]);
        Assert.Equal(1f, recipe.ScheduleFactor(0));
        Assert.True(recipe.ScheduleFactor(recipe.Epochs - 1) < 0.03f);
    }
}
