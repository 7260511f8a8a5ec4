using System.Diagnostics.CodeAnalysis;
using ILGPU;
using ILGPU.Algorithms;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>A learn batch's settings as the kernel reads them (an unmanaged struct passed by value).</summary>
internal readonly struct LearnKernelSettings(LearnSettings settings, int maskWordsPerUnit, bool perRowRates)
{
    public readonly int CrossEntropy = settings.Loss == LossKind.CrossEntropy ? 1 : 0;
    public readonly float LearningRate = settings.LearningRate;
    public readonly float GradientClip = settings.GradientClip;

    /// <summary>Pruning-mask words per unit, or 0 when the table has no masks.</summary>
    public readonly int MaskWordsPerUnit = maskWordsPerUnit;

    /// <summary>1 when each row brings its own learning rate (the rates view), 0 when every row uses <see cref="LearningRate"/>.</summary>
    public readonly int PerRowRates = perRowRates ? 1 : 0;
}

// Stryker disable all : ILGPU device code, see DeviceCode
/// <summary>
/// The fused forward + backward + SGD kernel. One group per schedule segment (<see cref="LearnSchedule"/>): it walks
/// that unit's rows in batch order, so duplicate slots apply one after another inside a single launch. The scalar
/// definition is <see cref="ReferenceMlp.LearnStep"/>.
/// </summary>
[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
internal static class LearnKernel
{
    /// <summary>The widest group the learn kernel's shared reduction buffer holds.</summary>
    public const int MaxGroupSize = 256;

    public static void LearnSegments(
        MlpArchitecture a,
        LearnKernelSettings s,
        ArrayView<float> parameters,
        ArrayView<uint> prunedWords,
        ArrayView<int> slots,
        ArrayView<float> learningRates,
        ArrayView<float> inputs,
        ArrayView<float> targets,
        ArrayView<int> order,
        ArrayView<int> segmentStarts,
        ArrayView<float> losses)
    {
        var x = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var t = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var hidden = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var outputDelta = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var hiddenDelta = SharedMemory.Allocate<float>(MlpArchitecture.MaxDimension);
        var partial = SharedMemory.Allocate<float>(MaxGroupSize);

        // [0] loss, [1] gradient scale, [2] 1 when the step is rejected.
        var step = SharedMemory.Allocate<float>(3);

        var segment = Grid.IdxX;
        for (var i = segmentStarts[segment]; i < segmentStarts[segment + 1]; i++)
        {
            var row = order[i];
            var slot = slots[row];
            var unit = slot * a.ParameterCount;
            ForwardKernels.StageRow(inputs, row * a.Inputs, a.Inputs, x);
            ForwardKernels.StageRow(targets, row * a.Outputs, a.Outputs, t);
            Group.Barrier();

            ForwardKernels.HiddenLayer(a, parameters, unit, x, hidden);
            Group.Barrier();

            for (var k = Group.IdxX; k < a.Outputs; k += Group.DimX)
            {
                outputDelta[k] = ForwardKernels.OutputUnit(a, parameters, unit, hidden, k);
            }

            Group.Barrier();
            if (Group.IdxX == 0)
            {
                step[0] = LossAndOutputDelta(a.Outputs, s.CrossEntropy, t, outputDelta);
            }

            Group.Barrier();
            for (var h = Group.IdxX; h < a.Hidden; h += Group.DimX)
            {
                var back = 0f;
                for (var k = 0; k < a.Outputs; k++)
                {
                    back += parameters[unit + a.W2Offset + k * a.Hidden + h] * outputDelta[k];
                }

                hiddenDelta[h] = back * (1f - hidden[h] * hidden[h]);
            }

            Group.Barrier();
            var squaredNorm = 0f;
            for (var e = Group.IdxX; s.GradientClip > 0f && e < a.ParameterCount; e += Group.DimX)
            {
                var g = Gradient(a, s, prunedWords, slot, e, x, hidden, outputDelta, hiddenDelta);
                squaredNorm += g * g;
            }

            partial[Group.IdxX] = squaredNorm;
            Group.Barrier();
            if (Group.IdxX == 0)
            {
                DecideStep(s, Group.DimX, partial, step);
            }

            Group.Barrier();
            var scaledRate = (s.PerRowRates != 0 ? learningRates[row] : s.LearningRate) * step[1];
            var nonFinite = false;
            for (var e = Group.IdxX; e < a.ParameterCount; e += Group.DimX)
            {
                var g = Gradient(a, s, prunedWords, slot, e, x, hidden, outputDelta, hiddenDelta);
                nonFinite |= !XMath.IsFinite(parameters[unit + e] - scaledRate * g);
            }

            var rejected = Group.BarrierOr(nonFinite) || step[2] != 0f;
            for (var e = Group.IdxX; !rejected && e < a.ParameterCount; e += Group.DimX)
            {
                var g = Gradient(a, s, prunedWords, slot, e, x, hidden, outputDelta, hiddenDelta);
                parameters[unit + e] -= scaledRate * g;
            }

            if (Group.IdxX == 0)
            {
                losses[row] = rejected ? float.NaN : step[0];
            }

            // The unit's next row (a duplicate slot) must read these updated parameters and fresh shared memory.
            Group.Barrier();
        }
    }

    /// <summary>Turns the outputs y (in <paramref name="delta"/>) into ∂L/∂y in place and returns the loss (one thread).</summary>
    private static float LossAndOutputDelta(int outputs, int crossEntropy, ArrayView<float> t, ArrayView<float> delta)
    {
        var loss = 0f;
        if (crossEntropy == 0)
        {
            for (var k = 0; k < outputs; k++)
            {
                var error = delta[k] - t[k];
                loss += error * error;
                delta[k] = 2f / outputs * error;
            }

            return loss / outputs;
        }

        var max = delta[0];
        for (var k = 1; k < outputs; k++)
        {
            max = XMath.Max(max, delta[k]);
        }

        var expSum = 0f;
        var targetMass = 0f;
        for (var k = 0; k < outputs; k++)
        {
            expSum += XMath.Exp(delta[k] - max);
            targetMass += t[k];
        }

        var logSumExp = max + XMath.Log(expSum);
        for (var k = 0; k < outputs; k++)
        {
            loss += t[k] * (logSumExp - delta[k]);
            delta[k] = XMath.Exp(delta[k] - logSumExp) * targetMass - t[k];
        }

        return loss;
    }

    /// <summary>Sums the squared-norm partials and stores the gradient scale and the reject flag (one thread).</summary>
    private static void DecideStep(LearnKernelSettings s, int groupSize, ArrayView<float> partial, ArrayView<float> step)
    {
        var squaredNorm = 0f;
        for (var j = 0; j < groupSize; j++)
        {
            squaredNorm += partial[j];
        }

        var norm = XMath.Sqrt(squaredNorm);
        var reject = !XMath.IsFinite(step[0]) || (s.GradientClip > 0f && !XMath.IsFinite(norm));
        step[1] = s.GradientClip > 0f && norm > s.GradientClip ? s.GradientClip / norm : 1f;
        step[2] = reject ? 1f : 0f;
    }

    /// <summary>∂L/∂θ_e for packed parameter e, zero when e is pruned.</summary>
    private static float Gradient(
        MlpArchitecture a,
        LearnKernelSettings s,
        ArrayView<uint> prunedWords,
        int slot,
        int e,
        ArrayView<float> x,
        ArrayView<float> hidden,
        ArrayView<float> outputDelta,
        ArrayView<float> hiddenDelta)
    {
        if (s.MaskWordsPerUnit > 0 && (prunedWords[slot * s.MaskWordsPerUnit + (e >> 5)] & (1u << (e & 31))) != 0)
        {
            return 0f;
        }

        if (e < a.B1Offset)
        {
            var h = e / a.Inputs;
            return hiddenDelta[h] * x[e - h * a.Inputs];
        }

        if (e < a.W2Offset)
        {
            return hiddenDelta[e - a.B1Offset];
        }

        if (e < a.B2Offset)
        {
            var k = (e - a.W2Offset) / a.Hidden;
            return outputDelta[k] * hidden[e - a.W2Offset - k * a.Hidden];
        }

        return outputDelta[e - a.B2Offset];
    }
}
