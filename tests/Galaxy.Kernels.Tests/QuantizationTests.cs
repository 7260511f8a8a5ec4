using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

public sealed class QuantizationTests
{
    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Int8_forward_stays_within_the_documented_bound_of_fp32(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(31);
        foreach (var architecture in new[] { MlpArchitecture.Default, data.Architecture(maxDimension: 64), new MlpArchitecture(1, 1, 1) })
        {
            var (table, parameters) = data.Table(backend, architecture, units: 10);
            using (table)
            using (var quantized = await table.QuantizeAsync())
            {
                var slots = data.Slots(7, 10);
                var inputs = data.Floats(7 * architecture.Inputs);
                var outputs = new float[7 * architecture.Outputs];
                await quantized.ForwardAsync(slots, inputs, outputs);

                var p = architecture.ParameterCount;
                for (var row = 0; row < slots.Length; row++)
                {
                    var unit = parameters.AsSpan(slots[row] * p, p);
                    var x = inputs.AsSpan(row * architecture.Inputs, architecture.Inputs);
                    var fp32 = ReferenceMlp.Forward(architecture, ReferenceMlp.ToDouble(unit), ReferenceMlp.ToDouble(x));
                    var bound = ReferenceMlp.QuantizationErrorBound(architecture, unit, x);
                    for (var k = 0; k < architecture.Outputs; k++)
                    {
                        var error = Math.Abs(outputs[row * architecture.Outputs + k] - fp32[k]);
                        Assert.True(error <= bound[k] + 1e-4, $"{architecture} row {row} output {k}: |int8 − fp32| = {error:E3} > bound {bound[k]:E3}.");
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
    public async Task Int8_forward_computes_exactly_the_quantised_model_and_is_a_snapshot(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(32);
        var architecture = new MlpArchitecture(9, 12, 5);
        var (table, parameters) = data.Table(backend, architecture, units: 3);
        using (table)
        using (var quantized = await table.QuantizeAsync())
        {
            await table.LoadUnitsAsync(0, new float[3 * architecture.ParameterCount]);
            int[] slots = [2, 0, 1];
            var inputs = data.Floats(3 * architecture.Inputs);
            var outputs = new float[3 * architecture.Outputs];
            await quantized.ForwardAsync(slots, inputs, outputs);

            var p = architecture.ParameterCount;
            var weights = new sbyte[Int8Quantization.WeightCount(architecture)];
            var floats = new float[Int8Quantization.FloatCount(architecture)];
            for (var row = 0; row < slots.Length; row++)
            {
                Int8Quantization.QuantizeUnit(architecture, parameters.AsSpan(slots[row] * p, p), weights, floats);
                var expected = ReferenceMlp.QuantizedForward(
                    architecture, weights, floats, inputs.AsSpan(row * architecture.Inputs, architecture.Inputs));
                for (var k = 0; k < architecture.Outputs; k++)
                {
                    Tolerance.Close(expected[k], outputs[row * architecture.Outputs + k], 1, $"row {row} output {k}");
                }
            }
        }
    }
}
