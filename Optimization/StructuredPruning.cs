using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization;

/// <summary>
/// Structured pruning: whole hidden units removed (row h of W1, <c>b1[h]</c>, column h of W2), so the model that
/// remains is simply narrower, <c>D-H'-K</c>, and serves from a smaller table. Without fine-tuning the narrow model
/// computes exactly what the original computes with the same units masked (<see cref="PruningMask.HiddenUnits"/>):
/// a masked unit's activation is tanh(0) = 0 and its outgoing weights are 0, so it adds exact zeros.
/// </summary>
public static class StructuredPruning
{
    /// <summary>Hidden units kept when <paramref name="fraction"/> of <paramref name="hidden"/> are removed (rounded; at least one).</summary>
    public static int Kept(int hidden, double fraction) => Math.Max(1, hidden - (int)Math.Round(hidden * fraction, MidpointRounding.AwayFromZero));

    /// <summary>
    /// Each hidden unit's importance: the mean square of what it sends to the outputs on the training rows,
    /// <c>E[a_h²] · Σ_k W2[k, h]²</c>. A unit that is quiet, or whose outgoing weights are small, matters little.
    /// </summary>
    public static double[] Importance(MlpArchitecture a, ReadOnlySpan<float> weights, LabelledData train)
    {
        var meanSquare = new double[a.Hidden];
        for (var row = 0; row < train.Rows; row++)
        {
            var x = train.Row(row);
            for (var h = 0; h < a.Hidden; h++)
            {
                var w = weights.Slice(a.W1Offset + h * a.Inputs, a.Inputs);
                var activation = Math.Tanh(System.Numerics.Tensors.TensorPrimitives.Dot(w, x) + weights[a.B1Offset + h]);
                meanSquare[h] += activation * activation / train.Rows;
            }
        }

        var importance = new double[a.Hidden];
        for (var h = 0; h < a.Hidden; h++)
        {
            var outgoing = 0.0;
            for (var k = 0; k < a.Outputs; k++)
            {
                outgoing += (double)weights[a.W2Offset + k * a.Hidden + h] * weights[a.W2Offset + k * a.Hidden + h];
            }

            importance[h] = meanSquare[h] * outgoing;
        }

        return importance;
    }

    /// <summary>Which hidden units stay: the <see cref="Kept"/> most important (ties to the lower index).</summary>
    public static bool[] MostImportant(IReadOnlyList<double> importance, double fraction)
    {
        var kept = new bool[importance.Count];
        foreach (var h in Enumerable.Range(0, importance.Count).OrderByDescending(h => importance[h]).ThenBy(h => h).Take(Kept(importance.Count, fraction)))
        {
            kept[h] = true;
        }

        return kept;
    }

    /// <summary>The narrow model: only the kept hidden units, in their order.</summary>
    public static (MlpArchitecture Architecture, float[] Weights) Remove(MlpArchitecture a, ReadOnlySpan<float> weights, IReadOnlyList<bool> kept)
    {
        if (kept.Count != a.Hidden)
        {
            throw new ArgumentException($"Expected one flag per hidden unit ({a.Hidden}), got {kept.Count}.", nameof(kept));
        }

        var units = Enumerable.Range(0, a.Hidden).Where(h => kept[h]).ToArray();
        if (units.Length == 0)
        {
            throw new ArgumentException("At least one hidden unit must stay.", nameof(kept));
        }

        var narrow = new MlpArchitecture(a.Inputs, units.Length, a.Outputs);
        var result = new float[narrow.ParameterCount];
        for (var i = 0; i < units.Length; i++)
        {
            var h = units[i];
            weights.Slice(a.W1Offset + h * a.Inputs, a.Inputs).CopyTo(result.AsSpan(narrow.W1Offset + i * a.Inputs, a.Inputs));
            result[narrow.B1Offset + i] = weights[a.B1Offset + h];
            for (var k = 0; k < a.Outputs; k++)
            {
                result[narrow.W2Offset + k * narrow.Hidden + i] = weights[a.W2Offset + k * a.Hidden + h];
            }
        }

        weights.Slice(a.B2Offset, a.Outputs).CopyTo(result.AsSpan(narrow.B2Offset, a.Outputs));
        return (narrow, result);
    }

    /// <summary>The original with the removed units masked (<see cref="PruningMask.HiddenUnits"/>): their parameters zero.</summary>
    public static float[] Mask(MlpArchitecture a, ReadOnlySpan<float> weights, IReadOnlyList<bool> kept)
    {
        var mask = PruningMask.HiddenUnits(a, kept.ToArray());
        var masked = weights.ToArray();
        for (var i = 0; i < masked.Length; i++)
        {
            if (mask.IsPruned(i))
            {
                masked[i] = 0f;
            }
        }

        return masked;
    }

    /// <summary>
    /// Trains the narrow model further with the model's recipe for <paramref name="epochs"/> epochs, at a tenth of each
    /// of its peak learning rates (one candidate per rate, all starting from <paramref name="weights"/>). Returns the
    /// candidate with the best validation accuracy, and that accuracy.
    /// </summary>
    public static async Task<(float[] Weights, double Accuracy)> FineTuneAsync(
        IComputeBackend backend, TrainingSet data, TrainingRecipe recipe, MlpArchitecture narrow, float[] weights, int epochs,
        CancellationToken cancellationToken)
    {
        var tuning = recipe with
        {
            Hidden = narrow.Hidden,
            Epochs = epochs,
            Seeds = [recipe.Seeds[0]],
            LearningRates = recipe.LearningRates.Select(rate => rate / 10).Distinct().ToArray(),
        };
        using var trainer = await PopulationTrainer.CreateAsync(backend, data, tuning);
        var start = new float[trainer.Candidates.Count * weights.Length];
        for (var row = 0; row < trainer.Candidates.Count; row++)
        {
            weights.CopyTo(start, row * weights.Length);
        }

        await trainer.RestoreAsync(new PopulationCheckpoint(0, start));
        EpochReport? last = null;
        while (trainer.EpochsDone < epochs)
        {
            last = await trainer.RunEpochAsync(cancellationToken);
        }

        return (await trainer.WeightsAsync(last!.Best), last.BestScore.ValidationAccuracy);
    }
}
