using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

public sealed class LearnStepTests
{
    public static TheoryData<LossKind, float> Settings => new()
    {
        { LossKind.MeanSquaredError, 0f },
        { LossKind.MeanSquaredError, 0.05f },
        { LossKind.CrossEntropy, 0f },
        { LossKind.CrossEntropy, 0.05f },
    };

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Updated_parameters_and_losses_match_the_reference_step(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(21);
        foreach (var (loss, clip) in Settings.Select(row => ((LossKind)row[0], (float)row[1])))
        {
            foreach (var architecture in new[] { data.Architecture(maxDimension: 24), new MlpArchitecture(256, 40, 256) })
            {
                var (table, parameters) = data.Table(backend, architecture, units: 9);
                using (table)
                {
                    var settings = new LearnSettings(loss, LearningRate: 0.1f, GradientClip: clip);
                    var slots = new[] { 4, 0, 8, 2, 7, 5, 1 };
                    await AssertLearnMatchesReference(data, table, parameters, slots, settings);
                }
            }
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Learn_batches_of_0_1_and_4096_rows_match_the_reference(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(22);
        var architecture = new MlpArchitecture(5, 6, 3);
        var settings = new LearnSettings(LossKind.MeanSquaredError, LearningRate: 0.05f, GradientClip: 1f);
        var (table, parameters) = data.Table(backend, architecture, units: 4096);
        using (table)
        {
            await AssertLearnMatchesReference(data, table, parameters, [], settings);
            await AssertLearnMatchesReference(data, table, parameters, [77], settings);
            await AssertLearnMatchesReference(data, table, parameters, data.Slots(4096, 4096), settings);
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Duplicate_slots_apply_in_batch_order_exactly_as_rows_sent_one_by_one(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(23);
        var architecture = new MlpArchitecture(6, 7, 3);
        int[] slots = [2, 5, 2, 2, 7, 5, 0, 2];
        var inputs = data.Floats(slots.Length * architecture.Inputs);
        var targets = data.Floats(slots.Length * architecture.Outputs);
        var settings = new LearnSettings(LossKind.MeanSquaredError, LearningRate: 0.3f);
        var (batched, parameters) = data.Table(backend, architecture, units: 8);
        using (batched)
        {
            using var oneByOne = backend.CreateTable(architecture, 8);
            await oneByOne.LoadUnitsAsync(0, parameters);

            var batchLosses = new float[slots.Length];
            await batched.LearnStepAsync(slots, inputs, targets, settings, batchLosses);
            var sequentialLosses = new float[slots.Length];
            for (var row = 0; row < slots.Length; row++)
            {
                await oneByOne.LearnStepAsync(
                    slots.AsMemory(row, 1),
                    inputs.AsMemory(row * architecture.Inputs, architecture.Inputs),
                    targets.AsMemory(row * architecture.Outputs, architecture.Outputs),
                    settings,
                    sequentialLosses.AsMemory(row, 1));
            }

            Assert.Equal(sequentialLosses, batchLosses);
            Assert.Equal(await ReadAll(oneByOne), await ReadAll(batched));

            // And both equal the reference applied row by row; the repeated slot's losses differ, so order mattered.
            await AssertRowByRowReference(batched, parameters, slots, inputs, targets, batchLosses, _ => settings);
            Assert.NotEqual(batchLosses[0], batchLosses[2]);
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Rows_whose_step_would_be_non_finite_are_rejected_and_counted_and_the_rest_apply(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(24);
        var architecture = new MlpArchitecture(3, 4, 2);
        var (table, parameters) = data.Table(backend, architecture, units: 4);
        using (table)
        {
            // Row 1's target makes the squared error overflow float: its loss is infinite, so its step is rejected.
            int[] slots = [0, 1, 2];
            float[] targets = [0.5f, -0.5f, 3e20f, -3e20f, 0.1f, 0.2f];
            var inputs = data.Floats(slots.Length * architecture.Inputs);
            var losses = new float[slots.Length];
            var settings = new LearnSettings(LossKind.MeanSquaredError, LearningRate: 0.1f);

            var result = await table.LearnStepAsync(slots, inputs, targets, settings, losses);

            Assert.Equal(1, result.Rejected);
            Assert.True(float.IsNaN(losses[1]));
            Assert.True(float.IsFinite(losses[0]) && float.IsFinite(losses[2]));
            var p = architecture.ParameterCount;
            var after = await ReadAll(table);
            Assert.Equal(parameters[p..(2 * p)], after[p..(2 * p)]);
            Assert.NotEqual(parameters[..p], after[..p]);
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task No_learn_step_ever_leaves_a_non_finite_parameter(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(25);
        var architecture = new MlpArchitecture(4, 5, 3);
        var (table, _) = data.Table(backend, architecture, units: 16);
        using (table)
        {
            var rejected = 0;
            foreach (var rate in new[] { 1f, 1e10f, 1e30f, 3e38f })
            {
                var slots = data.Slots(32, 16);
                var settings = new LearnSettings(LossKind.MeanSquaredError, rate);
                var result = await table.LearnStepAsync(
                    slots, data.Floats(32 * architecture.Inputs, 1e3f), data.Floats(32 * architecture.Outputs, 1e18f), settings, new float[32]);
                rejected += result.Rejected;
                Assert.All(await ReadAll(table), value => Assert.True(float.IsFinite(value)));
            }

            Assert.True(rejected > 0, "The huge learning rates should have been rejected at least once.");
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Per_row_learning_rates_step_each_row_with_its_own_rate_like_the_reference(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(26);
        var architecture = new MlpArchitecture(7, 9, 4);
        int[] slots = [3, 1, 3, 0, 2, 1, 3];
        float[] rates = [0.01f, 0.3f, 0.05f, 0.1f, 0.02f, 0.2f, 0.4f];
        var inputs = data.Floats(slots.Length * architecture.Inputs);
        var targets = data.Probabilities(slots.Length, architecture.Outputs);
        var settings = new LearnSettings(LossKind.CrossEntropy, LearningRate: 1f, GradientClip: 2f);
        var (table, parameters) = data.Table(backend, architecture, units: 4);
        using (table)
        {
            var losses = new float[slots.Length];

            await table.LearnStepAsync(slots, inputs, targets, settings, losses, rates);

            await AssertRowByRowReference(table, parameters, slots, inputs, targets, losses, row => settings with { LearningRate = rates[row] });
        }
    }

    internal static async Task AssertLearnMatchesReference(
        TestData data, IParameterTable table, float[] parameters, int[] slots, LearnSettings settings)
    {
        var a = table.Architecture;
        var inputs = data.Floats(slots.Length * a.Inputs);
        var targets = settings.Loss == LossKind.CrossEntropy
            ? data.Probabilities(slots.Length, a.Outputs)
            : data.Floats(slots.Length * a.Outputs);
        var losses = new float[slots.Length];

        var result = await table.LearnStepAsync(slots, inputs, targets, settings, losses);

        Assert.Equal(0, result.Rejected);
        var p = a.ParameterCount;
        for (var row = 0; row < slots.Length; row++)
        {
            var expectedLoss = ReferenceMlp.LearnStep(
                a,
                parameters.AsSpan(slots[row] * p, p),
                inputs.AsSpan(row * a.Inputs, a.Inputs),
                targets.AsSpan(row * a.Outputs, a.Outputs),
                settings);
            Tolerance.Close(expectedLoss, losses[row], (a.Inputs + a.Hidden) / 16.0, $"{a} loss of row {row}");
        }

        AssertClose(parameters, await ReadAll(table), (a.Inputs + a.Hidden) / 16.0);
    }

    /// <summary>The table and the losses equal the reference stepping the rows one after another, row i with <paramref name="settingsOf"/>(i).</summary>
    private static async Task AssertRowByRowReference(
        IParameterTable table, float[] parameters, int[] slots, float[] inputs, float[] targets, float[] losses, Func<int, LearnSettings> settingsOf)
    {
        var a = table.Architecture;
        var expected = parameters.ToArray();
        for (var row = 0; row < slots.Length; row++)
        {
            var loss = ReferenceMlp.LearnStep(
                a,
                expected.AsSpan(slots[row] * a.ParameterCount, a.ParameterCount),
                inputs.AsSpan(row * a.Inputs, a.Inputs),
                targets.AsSpan(row * a.Outputs, a.Outputs),
                settingsOf(row));
            Tolerance.Close(loss, losses[row], 1, $"loss of row {row}");
        }

        AssertClose(expected, await ReadAll(table));
    }

    internal static async Task<float[]> ReadAll(IParameterTable table)
    {
        var all = new float[table.Units * table.Architecture.ParameterCount];
        await table.ReadUnitsAsync(0, all);
        return all;
    }

    internal static void AssertClose(float[] expected, float[] actual, double scale = 1)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Tolerance.Close(expected[i], actual[i], scale, $"parameter {i}");
        }
    }
}
