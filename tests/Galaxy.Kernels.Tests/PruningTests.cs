using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

public sealed class PruningTests
{
    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task A_mask_zeroes_exactly_the_pruned_weights_and_learning_keeps_them_zero(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(41);
        var architecture = new MlpArchitecture(7, 9, 4);
        var p = architecture.ParameterCount;
        var kept = data.Floats(p).Select(value => value > -0.4f).ToArray();
        var mask = PruningMask.FromKept(architecture, kept);
        var (table, parameters) = data.Table(backend, architecture, units: 5);
        using (table)
        {
            int[] masked = [1, 3];
            await table.ApplyPruningMaskAsync(masked, mask);

            var expected = parameters.ToArray();
            foreach (var slot in masked)
            {
                for (var i = 0; i < p; i++)
                {
                    expected[slot * p + i] = mask.IsPruned(i) ? 0f : expected[slot * p + i];
                }
            }

            Assert.Equal(expected, await LearnStepTests.ReadAll(table));

            int[] slots = [1, 3, 1, 0, 4];
            var inputs = data.Floats(slots.Length * architecture.Inputs);
            var targets = data.Floats(slots.Length * architecture.Outputs);
            var settings = new LearnSettings(LossKind.MeanSquaredError, LearningRate: 0.2f, GradientClip: 0.5f);
            await table.LearnStepAsync(slots, inputs, targets, settings, new float[slots.Length]);

            for (var row = 0; row < slots.Length; row++)
            {
                ReferenceMlp.LearnStep(
                    architecture,
                    expected.AsSpan(slots[row] * p, p),
                    inputs.AsSpan(row * architecture.Inputs, architecture.Inputs),
                    targets.AsSpan(row * architecture.Outputs, architecture.Outputs),
                    settings,
                    masked.Contains(slots[row]) ? mask.PrunedWords : default);
            }

            var after = await LearnStepTests.ReadAll(table);
            LearnStepTests.AssertClose(expected, after);
            foreach (var slot in masked)
            {
                for (var i = 0; i < p; i++)
                {
                    if (mask.IsPruned(i))
                    {
                        Assert.Equal(0f, after[slot * p + i]);
                    }
                }
            }
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Loading_a_unit_lifts_its_mask(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(42);
        var architecture = new MlpArchitecture(3, 4, 2);
        var mask = PruningMask.HiddenUnits(architecture, [true, false, true, false]);
        var (table, parameters) = data.Table(backend, architecture, units: 2);
        using (table)
        {
            await table.ApplyPruningMaskAsync(new[] { 0 }, mask);
            await table.LoadUnitAsync(0, parameters.AsMemory(0, architecture.ParameterCount));
            var settings = new LearnSettings(LossKind.MeanSquaredError, LearningRate: 0.5f);
            await table.LearnStepAsync(new[] { 0 }, data.Floats(3), data.Floats(2, 5f), settings, new float[1]);

            var after = new float[architecture.ParameterCount];
            await table.ReadUnitAsync(0, after);
            var changedPrunedOnes = Enumerable.Range(0, architecture.ParameterCount)
                .Count(i => mask.IsPruned(i) && after[i] != parameters[i]);
            Assert.True(changedPrunedOnes > 0, "Once reloaded, the formerly pruned parameters learn again.");
        }
    }

    [Fact]
    public void Structured_pruning_removes_a_hidden_units_row_bias_and_column()
    {
        var architecture = new MlpArchitecture(2, 3, 2);
        var mask = PruningMask.HiddenUnits(architecture, [true, false, true]);

        int[] expected = [2, 3, architecture.B1Offset + 1, architecture.W2Offset + 1, architecture.W2Offset + 3 + 1];
        Assert.Equal(expected.Length, mask.PrunedCount);
        Assert.All(expected, i => Assert.True(mask.IsPruned(i)));
    }
}
