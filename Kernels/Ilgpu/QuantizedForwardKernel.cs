using System.Diagnostics.CodeAnalysis;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime.Cuda;

namespace Galaxy.Kernels.Ilgpu;

// Stryker disable all : ILGPU device code, see DeviceCode
/// <summary>
/// The int8 forward pass (<see cref="IQuantizedTable"/> defines it; <see cref="ReferenceMlp.QuantizedForward"/> is its
/// scalar form), grouped like <see cref="ForwardKernels"/>: one group per row. The weights arrive as int32 words of
/// four int8 weights each, in <see cref="Int8Quantization"/>'s blocks (so threads of neighbouring rows read neighbouring
/// words); the group packs the rounded input, then the rounded activations, into words in shared memory, and each
/// thread sums four products per step: one <c>dp4a</c> instruction on CUDA, four multiply-adds elsewhere.
/// </summary>
[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
internal static class QuantizedForwardKernel
{
    private const int MaxWords = MlpArchitecture.MaxDimension / 4;

    /// <summary>Row <c>Grid.IdxX</c> of a batch: unit <c>slots[row]</c>.</summary>
    public static void ForwardRows(
        MlpArchitecture a, ArrayView<int> weights, ArrayView<float> floats, ArrayView<int> slots, ArrayView<float> inputs, ArrayView<float> outputs) =>
        Forward(a, weights, floats, slots[Grid.IdxX], inputs, outputs);

    /// <summary>The tick: unit <c>firstUnit + Grid.IdxX</c> with its own input and output row.</summary>
    public static void ForwardRange(
        MlpArchitecture a, ArrayView<int> weights, ArrayView<float> floats, int firstUnit, ArrayView<float> inputs, ArrayView<float> outputs) =>
        Forward(a, weights, floats, firstUnit + Grid.IdxX, inputs, outputs);

    private static void Forward(
        MlpArchitecture a, ArrayView<int> weights, ArrayView<float> floats, int unit, ArrayView<float> inputs, ArrayView<float> outputs)
    {
        var x = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var hidden = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var packed = SharedMemory.Allocate<int>(MaxWords);
        var row = Grid.IdxX;
        var words1 = Int8Quantization.InputQuads(a);
        var words2 = Int8Quantization.HiddenQuads(a);
        var w1 = unit * (Int8Quantization.WeightBytes(a) / 4);
        var w2 = w1 + Int8Quantization.W2qOffset(a) / 4;
        var f = unit * Int8Quantization.FloatCount(a);

        ForwardKernels.StageRow(inputs, row * a.Inputs, a.Inputs, x);
        Group.Barrier();
        var largest = 0f;
        for (var d = 0; d < a.Inputs; d++)
        {
            largest = XMath.Max(largest, XMath.Abs(x[d]));
        }

        var inputScale = largest / 127f;
        Pack(x, a.Inputs, words1, largest == 0f ? 0f : 127f / largest, packed);
        Group.Barrier();
        for (var h = Group.IdxX; h < a.Hidden; h += Group.DimX)
        {
            var sum = Dot(weights, w1 + h / Int8Quantization.HiddenBlock * words1 * Int8Quantization.HiddenBlock + h % Int8Quantization.HiddenBlock,
                Int8Quantization.HiddenBlock, packed, words1);
            hidden[h] = XMath.Tanh(sum * (floats[f + Int8Quantization.Scale1Offset(a) + h] * inputScale) + floats[f + Int8Quantization.Bias1Offset(a) + h]);
        }

        Group.Barrier();
        Pack(hidden, a.Hidden, words2, 127f, packed);
        Group.Barrier();
        for (var k = Group.IdxX; k < a.Outputs; k += Group.DimX)
        {
            var sum = Dot(weights, w2 + k / Int8Quantization.OutputBlock * words2 * Int8Quantization.OutputBlock + k % Int8Quantization.OutputBlock,
                Int8Quantization.OutputBlock, packed, words2);
            outputs[row * a.Outputs + k] =
                sum * (floats[f + Int8Quantization.Scale2Offset(a) + k] * (1f / 127f)) + floats[f + Int8Quantization.Bias2Offset(a) + k];
        }
    }

    /// <summary>Rounds <c>values[i]·scale</c> (ties to even) into int8, four to a word; zero past <paramref name="length"/>.</summary>
    private static void Pack(ArrayView<float> values, int length, int words, float scale, ArrayView<int> packed)
    {
        for (var j = Group.IdxX; j < words; j += Group.DimX)
        {
            var word = 0;
            for (var b = 0; b < 4; b++)
            {
                var i = 4 * j + b;
                var q = i < length ? (int)XMath.Round(values[i] * scale) : 0;
                word |= (q & 0xFF) << (8 * b);
            }

            packed[j] = word;
        }
    }

    /// <summary>
    /// Σ over <paramref name="words"/> words of the four byte-wise products, the row's j-th weight word at
    /// <c>first + j·step</c>: dp4a on CUDA.
    /// </summary>
    private static int Dot(ArrayView<int> weights, int first, int step, ArrayView<int> packed, int words)
    {
        var sum = 0;
        for (var j = 0; j < words; j++)
        {
            var w = weights[first + j * step];
            var v = packed[j];
            if (CudaAsm.IsSupported)
            {
                CudaAsm.Emit("dp4a.s32.s32 %0, %1, %2, %3;", out sum, w, v, sum);
            }
            else
            {
                sum += (sbyte)w * (sbyte)v + (sbyte)(w >> 8) * (sbyte)(v >> 8) + (sbyte)(w >> 16) * (sbyte)(v >> 16) + (w >> 24) * (v >> 24);
            }
        }

        return sum;
    }
}
