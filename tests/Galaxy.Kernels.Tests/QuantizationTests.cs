using System.Runtime.InteropServices;
using Galaxy.Kernels;
using Galaxy.Kernels.Simd;

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
    public async Task Int8_forward_equals_the_dequantised_model_within_the_documented_bound(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(33);
        foreach (var architecture in new[] { MlpArchitecture.Default, new MlpArchitecture(64, 32, 10), data.Architecture(maxDimension: 80) })
        {
            var parameters = data.Floats(4 * architecture.ParameterCount, 0.5f);
            using var quantized = backend.CreateQuantizedTable(architecture, 4);
            await quantized.LoadUnitsAsync(0, parameters);
            int[] slots = [3, 0, 2, 1, 3, 3];
            var inputs = data.Floats(slots.Length * architecture.Inputs, 3f);
            var outputs = new float[slots.Length * architecture.Outputs];
            await quantized.ForwardAsync(slots, inputs, outputs);

            var p = architecture.ParameterCount;
            for (var row = 0; row < slots.Length; row++)
            {
                var unit = parameters.AsSpan(slots[row] * p, p);
                var x = inputs.AsSpan(row * architecture.Inputs, architecture.Inputs);
                var dequantised = ReferenceMlp.Forward(
                    architecture, ReferenceMlp.ToDouble(Int8Quantization.Dequantize(architecture, unit)), ReferenceMlp.ToDouble(x));
                var (weights, floats) = Quantized(architecture, unit);
                var bound = ReferenceMlp.ActivationQuantizationBound(architecture, weights, floats, x);
                for (var k = 0; k < architecture.Outputs; k++)
                {
                    var error = Math.Abs(outputs[row * architecture.Outputs + k] - dequantised[k]);
                    Assert.True(error <= bound[k] + 1e-4, $"{architecture} row {row} output {k}: |int8 − dequantised| = {error:E3} > bound {bound[k]:E3}.");
                }
            }
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task Int8_forward_computes_the_scalar_definition_and_is_a_snapshot(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(32);
        foreach (var architecture in new[] { new MlpArchitecture(9, 12, 5), MlpArchitecture.Default, new MlpArchitecture(40, 33, 7) })
        {
            var (table, parameters) = data.Table(backend, architecture, units: 3);
            using (table)
            using (var quantized = await table.QuantizeAsync())
            {
                await table.LoadUnitsAsync(0, new float[3 * architecture.ParameterCount]);
                int[] slots = [2, 0, 1];
                var inputs = data.Floats(3 * architecture.Inputs);
                inputs.AsSpan(0, architecture.Inputs).Clear();
                var outputs = new float[3 * architecture.Outputs];
                await quantized.ForwardAsync(slots, inputs, outputs);

                var p = architecture.ParameterCount;
                for (var row = 0; row < slots.Length; row++)
                {
                    AssertDefinition(architecture, parameters.AsSpan(slots[row] * p, p), inputs.AsSpan(row * architecture.Inputs, architecture.Inputs),
                        outputs.AsSpan(row * architecture.Outputs, architecture.Outputs), $"{architecture} row {row}");
                }
            }
        }
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task The_int8_tick_computes_every_unit_on_its_own_input(ComputeBackendKind kind)
    {
        var backend = TestBackends.Get(kind);
        var data = new TestData(34);
        var architecture = new MlpArchitecture(16, 24, 3);
        var units = kind == ComputeBackendKind.IlgpuCpu ? 9 : backend.MaxBatchRows + 5;
        var parameters = data.Floats(units * architecture.ParameterCount, 0.5f);
        using var quantized = backend.CreateQuantizedTable(architecture, units);
        await quantized.LoadUnitsAsync(0, parameters);
        var inputs = data.Floats(units * architecture.Inputs, 2f);
        var outputs = new float[units * architecture.Outputs];
        await quantized.ForwardAllAsync(inputs, outputs);

        var p = architecture.ParameterCount;
        foreach (var unit in new[] { 0, 1, units / 2, units - 1 })
        {
            AssertDefinition(architecture, parameters.AsSpan(unit * p, p), inputs.AsSpan(unit * architecture.Inputs, architecture.Inputs),
                outputs.AsSpan(unit * architecture.Outputs, architecture.Outputs), $"unit {unit}");
        }
    }

    /// <summary>A value after a buffer's last element that a pass must neither read (it would dominate the input's scale) nor overwrite.</summary>
    private const float Fence = 1e6f;

    /// <summary>
    /// The SIMD backend's pass for processors without AVX2, called directly since this machine has AVX2: one unit laid
    /// out as the quantized table holds it (weight bytes, then floats), a zero input among the others, and a
    /// <see cref="Fence"/> after the input and the output.
    /// </summary>
    [Fact]
    public unsafe void Without_AVX2_the_SIMD_int8_forward_computes_the_scalar_definition()
    {
        var data = new TestData(36);
        foreach (var architecture in new[] { new MlpArchitecture(9, 12, 5), MlpArchitecture.Default, new MlpArchitecture(40, 33, 7) })
        {
            var parameters = data.Floats(architecture.ParameterCount);
            var (weights, floats) = Quantized(architecture, parameters);
            var unit = new byte[Int8Quantization.UnitBytes(architecture)];
            MemoryMarshal.AsBytes(weights.AsSpan()).CopyTo(unit);
            MemoryMarshal.AsBytes(floats.AsSpan()).CopyTo(unit.AsSpan(Int8Quantization.WeightBytes(architecture)));
            foreach (var values in new[] { data.Floats(architecture.Inputs, 2f), new float[architecture.Inputs] })
            {
                float[] x = [.. values, Fence];
                float[] y = [.. new float[architecture.Outputs], Fence];
                fixed (byte* unitBytes = unit)
                fixed (float* input = x, output = y)
                {
                    SimdInt8.Scalar(architecture, unitBytes, input, output);
                }

                AssertDefinition(architecture, parameters, x.AsSpan(..^1), y.AsSpan(..^1), $"{architecture}, input {string.Join(' ', values.Take(3))}…");
                Assert.Equal(Fence, y[^1]);
            }
        }
    }

    [Fact]
    public void Dequantised_weights_quantise_back_to_the_same_int8_weights()
    {
        var data = new TestData(35);
        var architecture = new MlpArchitecture(21, 17, 6);
        var parameters = data.Floats(architecture.ParameterCount, 2f);
        var dequantised = Int8Quantization.Dequantize(architecture, parameters);
        var (weights, floats) = Quantized(architecture, parameters);
        var (again, againFloats) = Quantized(architecture, dequantised);

        Assert.Equal(weights, again);
        for (var i = 0; i < floats.Length; i++)
        {
            Assert.Equal(floats[i], againFloats[i], 6);
        }

        Assert.Equal(parameters.AsSpan(architecture.B1Offset, architecture.Hidden).ToArray(), dequantised.AsSpan(architecture.B1Offset, architecture.Hidden).ToArray());
        Assert.Equal((24 * 24) + (8 * 24) + 4 * (2 * 24 + 2 * 8), Int8Quantization.UnitBytes(architecture));
    }

    private static (sbyte[] Weights, float[] Floats) Quantized(MlpArchitecture architecture, ReadOnlySpan<float> unit)
    {
        var weights = new sbyte[Int8Quantization.WeightBytes(architecture)];
        var floats = new float[Int8Quantization.FloatCount(architecture)];
        Int8Quantization.QuantizeUnit(architecture, unit, weights, floats);
        return (weights, floats);
    }

    /// <summary>A backend's int8 outputs against the scalar definition: float rounding, and the documented allowance at ties.</summary>
    private static void AssertDefinition(MlpArchitecture architecture, ReadOnlySpan<float> unit, ReadOnlySpan<float> x, ReadOnlySpan<float> actual, string what)
    {
        var (weights, floats) = Quantized(architecture, unit);
        var ties = new double[architecture.Outputs];
        var expected = ReferenceMlp.QuantizedForward(architecture, weights, floats, x, ties);
        for (var k = 0; k < architecture.Outputs; k++)
        {
            var allowed = ties[k] + 1e-4 * Math.Max(1, Math.Abs(expected[k]));
            Assert.True(
                Math.Abs(expected[k] - actual[k]) <= allowed,
                $"{what} output {k}: expected {expected[k]:R}, got {actual[k]:R} (|Δ| = {Math.Abs(expected[k] - actual[k]):E2} > {allowed:E2}).");
        }
    }
}
