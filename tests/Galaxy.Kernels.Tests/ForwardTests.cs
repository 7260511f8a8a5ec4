using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

public sealed class ForwardTests
{
    private static readonly MlpArchitecture[] EdgeShapes = [new(1, 1, 1), MlpArchitecture.Default, new(256, 256, 256), new(3, 17, 9)];

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Forward_matches_the_reference_for_random_shapes_and_batch_sizes_0_1_7(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(seed: 11);
        var shapes = EdgeShapes.Concat(Enumerable.Range(0, 4).Select(_ => data.Architecture(maxDimension: 40)));
        foreach (var architecture in shapes)
        {
            var (table, parameters) = data.Table(backend, architecture, units: 9);
            using (table)
            {
                foreach (var rows in new[] { 0, 1, 7 })
                {
                    var slots = data.Slots(rows, table.Units);
                    var inputs = data.Floats(rows * architecture.Inputs);
                    var outputs = new float[rows * architecture.Outputs];
                    await table.ForwardAsync(slots, inputs, outputs);
                    AssertMatchesReference(architecture, parameters, slots, inputs, outputs);
                }
            }
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task A_full_batch_of_4096_rows_and_the_tick_match_the_reference(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(seed: 12);
        var architecture = new MlpArchitecture(5, 6, 3);
        var (table, parameters) = data.Table(backend, architecture, units: 4096);
        using (table)
        {
            var slots = data.Slots(4096, table.Units);
            var inputs = data.Floats(4096 * architecture.Inputs);
            var outputs = new float[4096 * architecture.Outputs];
            await table.ForwardAsync(slots, inputs, outputs);
            AssertMatchesReference(architecture, parameters, slots, inputs, outputs);

            await table.ForwardAllAsync(inputs, outputs);
            AssertMatchesReference(architecture, parameters, Enumerable.Range(0, 4096).ToArray(), inputs, outputs);
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task The_tick_covers_tables_larger_than_one_batch(ComputeBackendKind kind)
    {
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = kind, MaxBatchRows = 8 });
        var data = new TestData(seed: 13);
        var architecture = new MlpArchitecture(4, 7, 2);
        var (table, parameters) = data.Table(backend, architecture, units: 21);
        using (table)
        {
            var inputs = data.Floats(21 * architecture.Inputs);
            var outputs = new float[21 * architecture.Outputs];
            await table.ForwardAllAsync(inputs, outputs);
            AssertMatchesReference(architecture, parameters, Enumerable.Range(0, 21).ToArray(), inputs, outputs);
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Units_load_and_read_back_one_at_a_time_and_in_bulk(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(seed: 14);
        var architecture = new MlpArchitecture(3, 5, 2);
        using var table = backend.CreateTable(architecture, 6);
        var p = architecture.ParameterCount;

        var zeros = new float[6 * p];
        await table.ReadUnitsAsync(0, zeros);
        Assert.All(zeros, value => Assert.Equal(0f, value));

        var bulk = data.Floats(3 * p);
        await table.LoadUnitsAsync(2, bulk);
        var one = data.Floats(p);
        await table.LoadUnitAsync(3, one);

        var unit3 = new float[p];
        await table.ReadUnitAsync(3, unit3);
        Assert.Equal(one, unit3);

        var all = new float[6 * p];
        await table.ReadUnitsAsync(0, all);
        Assert.Equal(bulk[..p], all[(2 * p)..(3 * p)]);
        Assert.Equal(bulk[(2 * p)..], all[(4 * p)..(5 * p)]);
        Assert.All(all[..(2 * p)], value => Assert.Equal(0f, value));
    }

    internal static void AssertMatchesReference(
        MlpArchitecture architecture, float[] parameters, int[] slots, float[] inputs, float[] outputs)
    {
        var p = architecture.ParameterCount;
        for (var row = 0; row < slots.Length; row++)
        {
            var expected = ReferenceMlp.Forward(
                architecture,
                ReferenceMlp.ToDouble(parameters.AsSpan(slots[row] * p, p)),
                ReferenceMlp.ToDouble(inputs.AsSpan(row * architecture.Inputs, architecture.Inputs)));
            for (var k = 0; k < architecture.Outputs; k++)
            {
                Tolerance.Close(
                    expected[k], outputs[row * architecture.Outputs + k], (architecture.Inputs + architecture.Hidden) / 16.0, $"row {row} output {k}");
            }
        }
    }
}
