using System.Diagnostics.CodeAnalysis;
using ILGPU;

namespace Galaxy.Kernels.Ilgpu;

// Stryker disable all : ILGPU device code, see DeviceCode
/// <summary>Applies one pruning mask to listed units: one group per unit zeroes its pruned parameters and stores the mask.</summary>
[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
internal static class PruningKernel
{
    public static void ApplyMask(
        MlpArchitecture a, ArrayView<float> parameters, ArrayView<uint> prunedWords, ArrayView<int> slots, ArrayView<uint> mask)
    {
        var slot = slots[Grid.IdxX];
        var words = (int)mask.Length;
        for (var e = Group.IdxX; e < a.ParameterCount; e += Group.DimX)
        {
            if ((mask[e >> 5] & (1u << (e & 31))) != 0)
            {
                parameters[slot * a.ParameterCount + e] = 0f;
            }
        }

        for (var w = Group.IdxX; w < words; w += Group.DimX)
        {
            prunedWords[slot * words + w] = mask[w];
        }
    }
}
