using System.Diagnostics.CodeAnalysis;
using ILGPU;
using ILGPU.Algorithms;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// Forward pass with int8 weights (layout in <see cref="Int8Quantization"/>), grouped like
/// <see cref="ForwardKernels"/>: one group per row. The scalar definition is <see cref="ReferenceMlp.QuantizedForward"/>.
/// </summary>
[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
internal static class QuantizedForwardKernel
{
    public static void ForwardRows(
        MlpArchitecture a,
        ArrayView<sbyte> weights,
        ArrayView<float> floats,
        ArrayView<int> slots,
        ArrayView<float> inputs,
        ArrayView<float> outputs)
    {
        var x = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var hidden = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var row = Grid.IdxX;
        var w1 = slots[row] * Int8Quantization.WeightCount(a);
        var w2 = w1 + Int8Quantization.W2qOffset(a);
        var f = slots[row] * Int8Quantization.FloatCount(a);

        ForwardKernels.StageRow(inputs, row * a.Inputs, a.Inputs, x);
        Group.Barrier();
        for (var h = Group.IdxX; h < a.Hidden; h += Group.DimX)
        {
            var sum = 0f;
            for (var d = 0; d < a.Inputs; d++)
            {
                sum += weights[w1 + h * a.Inputs + d] * x[d];
            }

            hidden[h] = XMath.Tanh(floats[f + Int8Quantization.Scale1Offset(a) + h] * sum + floats[f + Int8Quantization.Bias1Offset(a) + h]);
        }

        Group.Barrier();
        for (var k = Group.IdxX; k < a.Outputs; k += Group.DimX)
        {
            var sum = 0f;
            for (var h = 0; h < a.Hidden; h++)
            {
                sum += weights[w2 + k * a.Hidden + h] * hidden[h];
            }

            outputs[row * a.Outputs + k] =
                floats[f + Int8Quantization.Scale2Offset(a) + k] * sum + floats[f + Int8Quantization.Bias2Offset(a) + k];
        }
    }
}
