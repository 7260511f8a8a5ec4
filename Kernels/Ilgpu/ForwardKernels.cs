using System.Diagnostics.CodeAnalysis;
using ILGPU;
using ILGPU.Algorithms;

namespace Galaxy.Kernels.Ilgpu;

// Stryker disable all : ILGPU device code, see DeviceCode
/// <summary>
/// Forward-pass kernels, explicitly grouped: one group (a warp on a GPU) per row. The group stages the row's input in
/// shared memory, then each thread owns hidden units (and later outputs) strided by the group size, so a thread walks
/// its own contiguous weight row. The scalar definition is <see cref="ReferenceMlp.Forward"/>.
/// </summary>
[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
internal static class ForwardKernels
{
    /// <summary>Row <c>Grid.IdxX</c> of a batch: unit <c>slots[row]</c>, input row and output row <c>row</c>.</summary>
    public static void ForwardRows(
        MlpArchitecture a, ArrayView<float> parameters, ArrayView<int> slots, ArrayView<float> inputs, ArrayView<float> outputs)
    {
        var x = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var hidden = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var row = Grid.IdxX;
        Forward(a, parameters, slots[row] * a.ParameterCount, inputs, outputs, row, x, hidden);
    }

    /// <summary>The tick: unit <c>firstUnit + Grid.IdxX</c> with its own input and output row, no slot indirection.</summary>
    public static void ForwardRange(
        MlpArchitecture a, ArrayView<float> parameters, int firstUnit, ArrayView<float> inputs, ArrayView<float> outputs)
    {
        var x = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var hidden = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var row = Grid.IdxX;
        Forward(a, parameters, (firstUnit + row) * a.ParameterCount, inputs, outputs, row, x, hidden);
    }

    private static void Forward(
        MlpArchitecture a,
        ArrayView<float> parameters,
        int unit,
        ArrayView<float> inputs,
        ArrayView<float> outputs,
        int row,
        ArrayView<float> x,
        ArrayView<float> hidden)
    {
        StageRow(inputs, row * a.Inputs, a.Inputs, x);
        Group.Barrier();
        HiddenLayer(a, parameters, unit, x, hidden);
        Group.Barrier();
        for (var k = Group.IdxX; k < a.Outputs; k += Group.DimX)
        {
            outputs[row * a.Outputs + k] = OutputUnit(a, parameters, unit, hidden, k);
        }
    }

    /// <summary>Copies <paramref name="length"/> floats from <paramref name="source"/> into shared memory, coalesced.</summary>
    public static void StageRow(ArrayView<float> source, int offset, int length, ArrayView<float> shared)
    {
        for (var i = Group.IdxX; i < length; i += Group.DimX)
        {
            shared[i] = source[offset + i];
        }
    }

    /// <summary><c>hidden[h] = tanh(b1[h] + W1[h,:]·x)</c> for this thread's hidden units.</summary>
    public static void HiddenLayer(MlpArchitecture a, ArrayView<float> parameters, int unit, ArrayView<float> x, ArrayView<float> hidden)
    {
        for (var h = Group.IdxX; h < a.Hidden; h += Group.DimX)
        {
            var row = unit + a.W1Offset + h * a.Inputs;
            var sum = parameters[unit + a.B1Offset + h];
            for (var d = 0; d < a.Inputs; d++)
            {
                sum += parameters[row + d] * x[d];
            }

            hidden[h] = XMath.Tanh(sum);
        }
    }

    /// <summary><c>b2[k] + W2[k,:]·hidden</c>.</summary>
    public static float OutputUnit(MlpArchitecture a, ArrayView<float> parameters, int unit, ArrayView<float> hidden, int k)
    {
        var row = unit + a.W2Offset + k * a.Hidden;
        var sum = parameters[unit + a.B2Offset + k];
        for (var h = 0; h < a.Hidden; h++)
        {
            sum += parameters[row + h] * hidden[h];
        }

        return sum;
    }
}
