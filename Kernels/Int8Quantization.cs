using System.Diagnostics.CodeAnalysis;
using Galaxy.Kernels.Ilgpu;

namespace Galaxy.Kernels;

/// <summary>
/// Symmetric int8 weights with one scale per weight-matrix row (see <see cref="IQuantizedTable"/>), laid out for
/// integer dot products that need no horizontal sums: a quantised unit is
/// <list type="bullet">
/// <item><c>W1q</c> in blocks of 8 hidden rows × 4 inputs (32 bytes: row r's four bytes at <c>4r</c>), blocks of one
/// row group in input order, so one 256-bit multiply-add advances 8 rows by 4 inputs each;</item>
/// <item><c>W2q</c> likewise in blocks of 4 output rows × 4 hidden units (16 bytes);</item>
/// <item>its floats <c>s1[H'] | b1[H'] | s2[K'] | b2[K']</c>, the rows' scales and the biases, which stay float.</item>
/// </list>
/// H' and K' round H up to 8 and K up to 4; the padding (rows, inputs and their floats) is zero, so padded hidden
/// units compute <c>tanh(0) = 0</c> and padded outputs are never read.
/// </summary>
public static class Int8Quantization
{
    /// <summary>Hidden rows per W1q block.</summary>
    public const int HiddenBlock = 8;

    /// <summary>Output rows per W2q block.</summary>
    public const int OutputBlock = 4;

    /// <summary>Columns per block: four bytes make one int32 lane of a dot product.</summary>
    public const int Quad = 4;

    // Stryker disable once all : ILGPU device code, see DeviceCode
    /// <summary>H rounded up to a whole block of 8.</summary>
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int PaddedHidden(MlpArchitecture a) => RoundUp(a.Hidden, HiddenBlock);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    /// <summary>K rounded up to a whole block of 4.</summary>
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int PaddedOutputs(MlpArchitecture a) => RoundUp(a.Outputs, OutputBlock);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    /// <summary>Groups of four inputs (D rounded up to 4, divided by 4).</summary>
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int InputQuads(MlpArchitecture a) => RoundUp(a.Inputs, Quad) / Quad;

    // Stryker disable once all : ILGPU device code, see DeviceCode
    /// <summary>Groups of four hidden units, padding included (always even).</summary>
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int HiddenQuads(MlpArchitecture a) => PaddedHidden(a) / Quad;

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int W2qOffset(MlpArchitecture a) => PaddedHidden(a) * InputQuads(a) * Quad;

    // Stryker disable once all : ILGPU device code, see DeviceCode
    /// <summary>Int8 weight bytes of one unit, padding included (a multiple of 16).</summary>
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int WeightBytes(MlpArchitecture a) => W2qOffset(a) + PaddedOutputs(a) * HiddenQuads(a) * Quad;

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int FloatCount(MlpArchitecture a) => 2 * PaddedHidden(a) + 2 * PaddedOutputs(a);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    /// <summary>What one int8 unit holds: its weight bytes and 4 bytes per scale and bias.</summary>
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int UnitBytes(MlpArchitecture a) => WeightBytes(a) + sizeof(float) * FloatCount(a);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Scale1Offset(MlpArchitecture a) => 0;

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Bias1Offset(MlpArchitecture a) => PaddedHidden(a);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Scale2Offset(MlpArchitecture a) => 2 * PaddedHidden(a);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public static int Bias2Offset(MlpArchitecture a) => 2 * PaddedHidden(a) + PaddedOutputs(a);

    /// <summary>Where W1q[h, d] lies among the weight bytes.</summary>
    public static int W1Index(MlpArchitecture a, int h, int d) =>
        ((h / HiddenBlock * InputQuads(a) + d / Quad) * HiddenBlock + h % HiddenBlock) * Quad + d % Quad;

    /// <summary>Where W2q[k, h] lies among the weight bytes.</summary>
    public static int W2Index(MlpArchitecture a, int k, int h) =>
        W2qOffset(a) + ((k / OutputBlock * HiddenQuads(a) + h / Quad) * OutputBlock + k % OutputBlock) * Quad + h % Quad;

    /// <summary>Quantises one unit's packed parameters into its int8 weights and its scales and biases (padding zeroed).</summary>
    public static void QuantizeUnit(MlpArchitecture a, ReadOnlySpan<float> parameters, Span<sbyte> weights, Span<float> floats)
    {
        weights[..WeightBytes(a)].Clear();
        floats[..FloatCount(a)].Clear();
        for (var h = 0; h < a.Hidden; h++)
        {
            var row = parameters.Slice(a.W1Offset + h * a.Inputs, a.Inputs);
            var scale = floats[Scale1Offset(a) + h] = RowScale(row);
            for (var d = 0; d < a.Inputs; d++)
            {
                weights[W1Index(a, h, d)] = Round(row[d], scale);
            }

            floats[Bias1Offset(a) + h] = parameters[a.B1Offset + h];
        }

        for (var k = 0; k < a.Outputs; k++)
        {
            var row = parameters.Slice(a.W2Offset + k * a.Hidden, a.Hidden);
            var scale = floats[Scale2Offset(a) + k] = RowScale(row);
            for (var h = 0; h < a.Hidden; h++)
            {
                weights[W2Index(a, k, h)] = Round(row[h], scale);
            }

            floats[Bias2Offset(a) + k] = parameters[a.B2Offset + k];
        }
    }

    /// <summary>
    /// The fp32 model the int8 weights stand for: every weight replaced by <c>scale[r]·q[r, c]</c>, biases as they are.
    /// Quantising the result gives back the same int8 weights (and scales to within a rounding of the last bit), so a
    /// registry version can hold its int8 model in the registry's fp32 layout.
    /// </summary>
    public static float[] Dequantize(MlpArchitecture a, ReadOnlySpan<float> parameters)
    {
        a.EnsureValid();
        if (parameters.Length != a.ParameterCount)
        {
            throw new ArgumentException($"Expected {a.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        var weights = new sbyte[WeightBytes(a)];
        var floats = new float[FloatCount(a)];
        QuantizeUnit(a, parameters, weights, floats);
        var result = parameters.ToArray();
        for (var h = 0; h < a.Hidden; h++)
        {
            for (var d = 0; d < a.Inputs; d++)
            {
                result[a.W1Offset + h * a.Inputs + d] = floats[Scale1Offset(a) + h] * weights[W1Index(a, h, d)];
            }
        }

        for (var k = 0; k < a.Outputs; k++)
        {
            for (var h = 0; h < a.Hidden; h++)
            {
                result[a.W2Offset + k * a.Hidden + h] = floats[Scale2Offset(a) + k] * weights[W2Index(a, k, h)];
            }
        }

        return result;
    }

    /// <summary>A row's scale, <c>max |w| / 127</c>.</summary>
    private static float RowScale(ReadOnlySpan<float> row) => MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row)) / 127f;

    private static sbyte Round(float weight, float scale) =>
        scale == 0f ? (sbyte)0 : (sbyte)Math.Clamp(MathF.Round(weight / scale), -127f, 127f);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
