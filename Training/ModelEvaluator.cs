using Galaxy.Kernels;

namespace Galaxy.Training;

/// <summary>Scores one packed model, with the preprocessing it was trained with, on labelled rows, on a compute backend.</summary>
public static class ModelEvaluator
{
    /// <summary>
    /// Every row of <paramref name="data"/> (raw features, labels indexed by the model's classes) through
    /// <paramref name="standardization"/> and the model: one forward launch per <see cref="IComputeBackend.MaxBatchRows"/> rows.
    /// </summary>
    public static async Task<ClassificationReport> EvaluateAsync(
        IComputeBackend backend, MlpArchitecture architecture, float[] weights, Standardization standardization, LabelledData data,
        CancellationToken cancellationToken = default)
    {
        if (data.Features != architecture.Inputs || data.Classes.Count != architecture.Outputs)
        {
            throw new ArgumentException(
                $"The data has {data.Features} features and {data.Classes.Count} classes; the model takes {architecture.Inputs} and gives {architecture.Outputs}.");
        }

        using var table = backend.CreateTable(architecture, units: 1);
        await table.LoadUnitAsync(0, weights);
        var (d, k) = (architecture.Inputs, architecture.Outputs);
        var capacity = backend.MaxBatchRows;
        var slots = new int[capacity];
        var inputs = new float[capacity * d];
        var outputs = new float[capacity * k];
        var predicted = new int[data.Rows];
        for (var first = 0; first < data.Rows; first += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(capacity, data.Rows - first);
            for (var i = 0; i < rows; i++)
            {
                var x = inputs.AsSpan(i * d, d);
                data.Row(first + i).CopyTo(x);
                standardization.Apply(x);
            }

            await table.ForwardAsync(slots.AsMemory(0, rows), inputs.AsMemory(0, rows * d), outputs.AsMemory(0, rows * k));
            for (var i = 0; i < rows; i++)
            {
                predicted[first + i] = Scoring.ArgMax(outputs.AsSpan(i * k, k));
            }
        }

        return ClassificationReport.FromPredictions(data.Classes, data.Labels, predicted);
    }
}
