using System.Diagnostics;
using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization;

/// <summary>How a model variant does: validation accuracy, bytes of parameters, and forward speed on the backend.</summary>
public sealed record ModelScore(double Accuracy, long ParameterBytes, double RowsPerSecond);

/// <summary>
/// Scores model variants as they would serve: in an fp32 or an int8 table on the given backend, one unit's weights
/// (a registry version serves from one shared row), batches of the backend's largest size.
/// </summary>
public sealed class ModelScorer(IComputeBackend backend, TimeSpan? speedWindow = null)
{
    private readonly TimeSpan _window = speedWindow ?? TimeSpan.FromMilliseconds(200);

    /// <summary>Bytes a unit of this model takes in its table: 4 per parameter, or the int8 layout's.</summary>
    public static long ParameterBytes(MlpArchitecture architecture, bool int8) =>
        int8 ? Int8Quantization.UnitBytes(architecture) : (long)sizeof(float) * architecture.ParameterCount;

    /// <summary>Accuracy on <paramref name="validation"/> (standardised rows), bytes, and rows per second.</summary>
    public async Task<ModelScore> ScoreAsync(MlpArchitecture architecture, float[] weights, bool int8, LabelledData validation, CancellationToken cancellationToken)
    {
        using var model = await ServedModel.CreateAsync(backend, architecture, weights, int8);
        var accuracy = await AccuracyAsync(model, validation, cancellationToken);
        var speed = await RowsPerSecondAsync(model, validation, cancellationToken);
        return new ModelScore(accuracy, ParameterBytes(architecture, int8), speed);
    }

    /// <summary>Accuracy alone.</summary>
    public async Task<double> AccuracyAsync(MlpArchitecture architecture, float[] weights, bool int8, LabelledData validation, CancellationToken cancellationToken)
    {
        using var model = await ServedModel.CreateAsync(backend, architecture, weights, int8);
        return await AccuracyAsync(model, validation, cancellationToken);
    }

    private async Task<double> AccuracyAsync(ServedModel model, LabelledData validation, CancellationToken cancellationToken)
    {
        var (d, k) = (model.Architecture.Inputs, model.Architecture.Outputs);
        var capacity = backend.MaxBatchRows;
        var slots = new int[capacity];
        var outputs = new float[capacity * k];
        var correct = 0;
        for (var first = 0; first < validation.Rows; first += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(capacity, validation.Rows - first);
            var inputs = validation.Values.Slice(first * d, rows * d).ToArray();
            await model.ForwardAsync(slots.AsMemory(0, rows), inputs, outputs.AsMemory(0, rows * k));
            for (var i = 0; i < rows; i++)
            {
                correct += Scoring.ArgMax(outputs.AsSpan(i * k, k)) == validation.Labels[first + i] ? 1 : 0;
            }
        }

        return validation.Rows == 0 ? 0 : (double)correct / validation.Rows;
    }

    /// <summary>
    /// Forward rows per second on batches of the backend's largest size (the validation rows, cycled), after a warm-up:
    /// the best of three windows, so that a burst of other work on a shared machine costs less than the window it hit.
    /// </summary>
    private async Task<double> RowsPerSecondAsync(ServedModel model, LabelledData validation, CancellationToken cancellationToken)
    {
        var (d, k) = (model.Architecture.Inputs, model.Architecture.Outputs);
        var rows = backend.MaxBatchRows;
        var slots = new int[rows];
        var inputs = new float[rows * d];
        for (var i = 0; i < rows; i++)
        {
            validation.Row(i % validation.Rows).CopyTo(inputs.AsSpan(i * d, d));
        }

        var outputs = new float[rows * k];
        await model.ForwardAsync(slots, inputs, outputs);
        var best = 0.0;
        for (var window = 0; window < 3; window++)
        {
            var launches = 0;
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < _window / 3 || launches < 2)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await model.ForwardAsync(slots, inputs, outputs);
                launches++;
            }

            best = Math.Max(best, launches * rows / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return best;
    }

    /// <summary>One unit's weights in the table that would serve them.</summary>
    private sealed class ServedModel : IDisposable
    {
        private readonly IParameterTable? _fp32;
        private readonly IQuantizedTable? _int8;

        private ServedModel(MlpArchitecture architecture, IParameterTable? fp32, IQuantizedTable? int8)
        {
            Architecture = architecture;
            _fp32 = fp32;
            _int8 = int8;
        }

        public MlpArchitecture Architecture { get; }

        public static async Task<ServedModel> CreateAsync(IComputeBackend backend, MlpArchitecture architecture, float[] weights, bool int8)
        {
            if (int8)
            {
                var quantized = backend.CreateQuantizedTable(architecture, 1);
                await quantized.LoadUnitsAsync(0, weights);
                return new ServedModel(architecture, null, quantized);
            }

            var table = backend.CreateTable(architecture, 1);
            await table.LoadUnitAsync(0, weights);
            return new ServedModel(architecture, table, null);
        }

        public Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs) =>
            _int8?.ForwardAsync(slots, inputs, outputs) ?? _fp32!.ForwardAsync(slots, inputs, outputs);

        public void Dispose()
        {
            _fp32?.Dispose();
            _int8?.Dispose();
        }
    }
}
