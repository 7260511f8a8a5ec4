using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization.Tests;

public sealed class StructuredPruningTests
{
    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    public void A_pruned_model_computes_exactly_what_the_masked_original_computes(double fraction)
    {
        var architecture = new MlpArchitecture(9, 16, 5);
        var weights = Subjects.RandomWeights(architecture, seed: 3);
        var data = Subjects.Blobs(classes: 5, features: 9, perClass: 20);
        var kept = StructuredPruning.MostImportant(StructuredPruning.Importance(architecture, weights, data), fraction);

        var (narrow, pruned) = StructuredPruning.Remove(architecture, weights, kept);
        var masked = StructuredPruning.Mask(architecture, weights, kept);

        Assert.Equal(StructuredPruning.Kept(16, fraction), narrow.Hidden);
        Assert.Equal(new MlpArchitecture(9, narrow.Hidden, 5), narrow);
        for (var row = 0; row < data.Rows; row++)
        {
            var x = ReferenceMlp.ToDouble(data.Row(row));
            var fromPruned = ReferenceMlp.Forward(narrow, ReferenceMlp.ToDouble(pruned), x);
            var fromMasked = ReferenceMlp.Forward(architecture, ReferenceMlp.ToDouble(masked), x);
            Assert.Equal(fromMasked, fromPruned);
        }
    }

    [Fact]
    public async Task On_a_backend_the_pruned_model_answers_as_the_masked_original_to_float_rounding()
    {
        var backend = Subjects.Backend;
        var architecture = new MlpArchitecture(16, 16, 4);
        var weights = Subjects.RandomWeights(architecture, seed: 4);
        var data = Subjects.Blobs(classes: 4, features: 16, perClass: 16);
        var kept = StructuredPruning.MostImportant(StructuredPruning.Importance(architecture, weights, data), 0.5);
        var (narrow, pruned) = StructuredPruning.Remove(architecture, weights, kept);

        using var wide = backend.CreateTable(architecture, 1);
        await wide.LoadUnitAsync(0, weights);
        await wide.ApplyPruningMaskAsync(new[] { 0 }, PruningMask.HiddenUnits(architecture, kept));
        using var small = backend.CreateTable(narrow, 1);
        await small.LoadUnitAsync(0, pruned);
        var slots = new int[data.Rows];
        var (fromMasked, fromPruned) = (new float[data.Rows * 4], new float[data.Rows * 4]);
        await wide.ForwardAsync(slots, data.Values.ToArray(), fromMasked);
        await small.ForwardAsync(slots, data.Values.ToArray(), fromPruned);

        for (var i = 0; i < fromMasked.Length; i++)
        {
            Assert.True(Math.Abs(fromMasked[i] - fromPruned[i]) <= 1e-5 * Math.Max(1, Math.Abs(fromMasked[i])), $"output {i}: {fromMasked[i]} vs {fromPruned[i]}");
        }
    }

    [Fact]
    public void Importance_ranks_a_unit_that_sends_nothing_last_and_pruning_removes_it_first()
    {
        var architecture = new MlpArchitecture(4, 6, 3);
        var weights = Subjects.RandomWeights(architecture, seed: 5);
        for (var k = 0; k < 3; k++)
        {
            weights[architecture.W2Offset + k * 6 + 2] = 0f;
        }

        var data = Subjects.Blobs(classes: 3, features: 4, perClass: 10);
        var importance = StructuredPruning.Importance(architecture, weights, data);

        Assert.Equal(0, importance[2]);
        var kept = StructuredPruning.MostImportant(importance, 1.0 / 6);
        Assert.False(kept[2]);
        Assert.Equal(5, kept.Count(flag => flag));
    }

    [Fact]
    public void Pruning_keeps_at_least_one_unit_and_rounds_the_share()
    {
        Assert.Equal(96, StructuredPruning.Kept(128, 0.25));
        Assert.Equal(64, StructuredPruning.Kept(128, 0.5));
        Assert.Equal(32, StructuredPruning.Kept(128, 0.75));
        Assert.Equal(1, StructuredPruning.Kept(2, 0.99));
        Assert.Equal(8, StructuredPruning.Kept(16, 0.5));
    }
}
