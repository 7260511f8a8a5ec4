using Galaxy.Kernels;
using Galaxy.Training;

namespace Galaxy.Optimization;

/// <summary>
/// A distillation teacher: one or more models of one architecture, whose averaged class probabilities (softmax of
/// their outputs over <see cref="Temperature"/>) become the student's targets, blended with the recipe's own target
/// by <see cref="HardTargetWeight"/>. The teacher answers the very inputs the student learns from, noise and mixup
/// included, so the student matches the teacher's function, not just its labels.
/// </summary>
public sealed class EnsembleTeacher : ITeacher, IDisposable
{
    private readonly IComputeBackend _backend;
    private readonly IParameterTable _table;
    private readonly int[] _slots;
    private readonly float[] _outputs;
    private readonly float[] _probabilities;

    private EnsembleTeacher(IComputeBackend backend, IParameterTable table, float temperature, float hardTargetWeight)
    {
        _backend = backend;
        _table = table;
        Temperature = temperature;
        HardTargetWeight = hardTargetWeight;
        _slots = new int[backend.MaxBatchRows];
        _outputs = new float[backend.MaxBatchRows * table.Architecture.Outputs];
        _probabilities = new float[backend.MaxBatchRows * table.Architecture.Outputs];
    }

    public MlpArchitecture Architecture => _table.Architecture;

    public int Members => _table.Units;

    public float Temperature { get; }

    public float HardTargetWeight { get; }

    public static async Task<EnsembleTeacher> CreateAsync(
        IComputeBackend backend, MlpArchitecture architecture, IReadOnlyList<float[]> members, float temperature, float hardTargetWeight)
    {
        if (members.Count == 0)
        {
            throw new ArgumentException("A teacher needs at least one model.", nameof(members));
        }

        var table = backend.CreateTable(architecture, members.Count);
        await table.LoadUnitsAsync(0, members.SelectMany(weights => weights).ToArray());
        return new EnsembleTeacher(backend, table, temperature, hardTargetWeight);
    }

    public async Task TeachAsync(ReadOnlyMemory<float> inputs, Memory<float> targets)
    {
        var (d, k) = (Architecture.Inputs, Architecture.Outputs);
        var rows = inputs.Length / d;
        for (var first = 0; first < rows; first += _backend.MaxBatchRows)
        {
            var count = Math.Min(_backend.MaxBatchRows, rows - first);
            var probabilities = _probabilities.AsSpan(0, count * k);
            probabilities.Clear();
            for (var member = 0; member < Members; member++)
            {
                _slots.AsSpan(0, count).Fill(member);
                await _table.ForwardAsync(
                    _slots.AsMemory(0, count), inputs.Slice(first * d, count * d), _outputs.AsMemory(0, count * k));
                AddSoftmax(count, k);
            }

            var blended = targets.Span.Slice(first * k, count * k);
            var teacherWeight = (1f - HardTargetWeight) / Members;
            for (var i = 0; i < blended.Length; i++)
            {
                blended[i] = HardTargetWeight * blended[i] + teacherWeight * _probabilities[i];
            }
        }
    }

    public void Dispose() => _table.Dispose();

    private void AddSoftmax(int rows, int k)
    {
        for (var row = 0; row < rows; row++)
        {
            var y = _outputs.AsSpan(row * k, k);
            var max = System.Numerics.Tensors.TensorPrimitives.Max(y);
            var sum = 0f;
            for (var c = 0; c < k; c++)
            {
                sum += MathF.Exp((y[c] - max) / Temperature);
            }

            for (var c = 0; c < k; c++)
            {
                _probabilities[row * k + c] += MathF.Exp((y[c] - max) / Temperature) / sum;
            }
        }
    }
}
