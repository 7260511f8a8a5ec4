using System.Diagnostics.CodeAnalysis;
using Galaxy.Kernels.Ilgpu;

namespace Galaxy.Kernels;

/// <summary>
/// Symmetric int8 quantisation with one scale per weight-matrix row (see <see cref="IQuantizedTable"/>). A quantised
/// unit is two packed rows: int8 weights <c>W1q[H×D] | W2q[K×H]</c> and floats <c>s1[H] | b1[H] | s2[K] | b2[K]</c>.
/// </summary>
internal static class Int8Quantization
{
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int WeightCount(MlpArchitecture a) => a.Hidden * a.Inputs + a.Outputs * a.Hidden;

    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int W2qOffset(MlpArchitecture a) => a.Hidden * a.Inputs;

    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int FloatCount(MlpArchitecture a) => 2 * a.Hidden + 2 * a.Outputs;

    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Scale1Offset(MlpArchitecture a) => 0;

    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Bias1Offset(MlpArchitecture a) => a.Hidden;

    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Scale2Offset(MlpArchitecture a) => 2 * a.Hidden;

    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Bias2Offset(MlpArchitecture a) => 2 * a.Hidden + a.Outputs;

    /// <summary>Quantises one unit's packed parameters into its int8 weights and its scales and biases.</summary>
    public static void QuantizeUnit(MlpArchitecture a, ReadOnlySpan<float> parameters, Span<sbyte> weights, Span<float> floats)
    {
        QuantizeRows(
            parameters.Slice(a.W1Offset, a.Hidden * a.Inputs), a.Inputs, weights[..W2qOffset(a)], floats.Slice(Scale1Offset(a), a.Hidden));
        QuantizeRows(
            parameters.Slice(a.W2Offset, a.Outputs * a.Hidden), a.Hidden, weights[W2qOffset(a)..], floats.Slice(Scale2Offset(a), a.Outputs));
        parameters.Slice(a.B1Offset, a.Hidden).CopyTo(floats.Slice(Bias1Offset(a), a.Hidden));
        parameters.Slice(a.B2Offset, a.Outputs).CopyTo(floats.Slice(Bias2Offset(a), a.Outputs));
    }

    private static void QuantizeRows(ReadOnlySpan<float> matrix, int columns, Span<sbyte> quantized, Span<float> scales)
    {
        for (var r = 0; r < scales.Length; r++)
        {
            var row = matrix.Slice(r * columns, columns);
            var largest = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row);
            var scale = MathF.Abs(largest) / 127f;
            scales[r] = scale;
            for (var c = 0; c < columns; c++)
            {
                quantized[r * columns + c] = scale == 0f ? (sbyte)0 : (sbyte)Math.Clamp(MathF.Round(row[c] / scale), -127f, 127f);
            }
        }
    }
}
