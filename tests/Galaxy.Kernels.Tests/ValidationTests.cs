using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

/// <summary>Bad batches are refused before launch, with an ArgumentException naming the problem, and change nothing.</summary>
public sealed class ValidationTests
{
    private static readonly MlpArchitecture Architecture = new(3, 4, 2);

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Bad_forward_batches_are_rejected_with_a_clear_message(ComputeBackendKind kind)
    {
        using var table = TestBackends.Get(kind).CreateTable(Architecture, 4);
        var outputs = new float[4];

        await AssertRejected<ArgumentException>("inputs[row 1, column 2] is NaN", () => table.ForwardAsync(new[] { 0, 1 }, Inputs(1, 2, float.NaN), outputs));
        await AssertRejected<ArgumentException>("inputs[row 0, column 1] is Infinity", () => table.ForwardAsync(new[] { 0, 1 }, Inputs(0, 1, float.PositiveInfinity), outputs));
        await AssertRejected<ArgumentException>("inputs holds 5 floats; 2 rows of 3 need 6", () => table.ForwardAsync(new[] { 0, 1 }, new float[5], outputs));
        await AssertRejected<ArgumentException>("outputs holds 3 floats", () => table.ForwardAsync(new[] { 0, 1 }, new float[6], new float[3]));
        await AssertRejected<ArgumentOutOfRangeException>("slots[1] = 4 is not a unit", () => table.ForwardAsync(new[] { 0, 4 }, new float[6], outputs));
        await AssertRejected<ArgumentOutOfRangeException>("slots[0] = -1", () => table.ForwardAsync(new[] { -1, 0 }, new float[6], outputs));
        await AssertRejected<ArgumentException>("inputs[row 3, column 0] is NaN", () => table.ForwardAllAsync(Inputs(3, 0, float.NaN, rows: 4), new float[8]));
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Bad_learn_batches_and_parameters_are_rejected_and_leave_the_table_untouched(ComputeBackendKind kind)
    {
        var data = new TestData(51);
        var (table, parameters) = data.Table(TestBackends.Get(kind), Architecture, 4);
        using (table)
        {
            var mse = new LearnSettings(LossKind.MeanSquaredError, 0.1f);
            var losses = new float[2];
            int[] slots = [0, 1];

            await AssertRejected<ArgumentException>("targets[row 1, column 0] is NaN", () => table.LearnStepAsync(slots, new float[6], new[] { 0, 0, float.NaN, 0 }, mse, losses));
            await AssertRejected<ArgumentException>("inputs[row 0, column 0] is -Infinity", () => table.LearnStepAsync(slots, Inputs(0, 0, float.NegativeInfinity), new float[4], mse, losses));
            await AssertRejected<ArgumentException>("targets holds 3 floats", () => table.LearnStepAsync(slots, new float[6], new float[3], mse, losses));
            await AssertRejected<ArgumentException>("losses holds 1 floats", () => table.LearnStepAsync(slots, new float[6], new float[4], mse, new float[1]));
            await AssertRejected<ArgumentException>("cross-entropy targets are probabilities", () => table.LearnStepAsync(
                slots, new float[6], new[] { 1, 0, -0.5f, 1.5f }, new LearnSettings(LossKind.CrossEntropy, 0.1f), losses));
            await AssertRejected<ArgumentException>("learningRates holds 1 floats", () => table.LearnStepAsync(
                slots, new float[6], new float[4], mse, losses, new[] { 0.1f }));
            await AssertRejected<ArgumentOutOfRangeException>("learningRates[1] must be finite and > 0", () => table.LearnStepAsync(
                slots, new float[6], new float[4], mse, losses, new[] { 0.1f, float.NaN }));
            await AssertRejected<ArgumentOutOfRangeException>("learningRates[0] must be finite and > 0", () => table.LearnStepAsync(
                slots, new float[6], new float[4], mse, losses, new[] { 0f, 0.1f }));
            await AssertRejected<ArgumentOutOfRangeException>("learning rate", () => table.LearnStepAsync(
                slots, new float[6], new float[4], new LearnSettings(LossKind.MeanSquaredError, 0f), losses));
            await AssertRejected<ArgumentOutOfRangeException>("gradient clip", () => table.LearnStepAsync(
                slots, new float[6], new float[4], new LearnSettings(LossKind.MeanSquaredError, 0.1f, float.NaN), losses));

            var badUnit = data.Floats(Architecture.ParameterCount);
            badUnit[7] = float.NaN;
            await AssertRejected<ArgumentException>("parameters[row 0, column 7] is NaN", () => table.LoadUnitAsync(2, badUnit));
            await AssertRejected<ArgumentException>("not a whole number", () => table.LoadUnitsAsync(0, new float[Architecture.ParameterCount + 1]));
            await AssertRejected<ArgumentOutOfRangeException>("do not lie in the table", () => table.LoadUnitsAsync(3, new float[2 * Architecture.ParameterCount]));
            await AssertRejected<ArgumentOutOfRangeException>("slots[1] = 4", () => table.ReadUnitsAsync(new[] { 0, 4 }, new float[2 * Architecture.ParameterCount]));
            await AssertRejected<ArgumentException>("destination holds", () => table.ReadUnitsAsync(new[] { 0, 1 }, new float[Architecture.ParameterCount]));

            Assert.Equal(parameters, await LearnStepTests.ReadAll(table));
        }
    }

    [Fact]
    public async Task Batches_beyond_MaxBatchRows_are_rejected()
    {
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd, MaxBatchRows = 2 });
        using var table = backend.CreateTable(Architecture, 4);

        await AssertRejected<ArgumentException>("exceeds the backend's MaxBatchRows of 2", () => table.ForwardAsync(new int[3], new float[9], new float[6]));
    }

    [Fact]
    public void Invalid_architectures_and_table_sizes_are_rejected()
    {
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd });

        Assert.Throws<ArgumentOutOfRangeException>(() => backend.CreateTable(new MlpArchitecture(0, 4, 2), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.CreateTable(new MlpArchitecture(3, 257, 2), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.CreateTable(Architecture, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.CreateTable(new MlpArchitecture(256, 256, 256), 1 << 20));
    }

    private static float[] Inputs(int row, int column, float value, int rows = 2)
    {
        var inputs = new float[rows * Architecture.Inputs];
        inputs[row * Architecture.Inputs + column] = value;
        return inputs;
    }

    private static async Task AssertRejected<TException>(string messagePart, Func<Task> call)
        where TException : ArgumentException
    {
        var exception = await Assert.ThrowsAsync<TException>(call);
        Assert.Contains(messagePart, exception.Message, StringComparison.Ordinal);
    }
}
