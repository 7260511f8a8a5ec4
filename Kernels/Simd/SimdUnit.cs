using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Galaxy.Kernels.Simd;

/// <summary>One unit's forward pass and learn step in float32, vectorised along the weight rows.</summary>
internal static class SimdUnit
{
    /// <summary>Scratch floats <see cref="LearnStep"/> needs: hidden, output, their deltas, gradient, updated parameters.</summary>
    public static int LearnScratchLength(MlpArchitecture a) => 2 * (a.Hidden + a.Outputs + a.ParameterCount);

    /// <summary><c>hidden = tanh(W1·x + b1)</c>, <c>y = W2·hidden + b2</c>; <paramref name="hidden"/> is H floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(MlpArchitecture a, ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> hidden, Span<float> y)
    {
        SimdMath.MatVec(p.Slice(a.W1Offset, a.Hidden * a.Inputs), x, p.Slice(a.B1Offset, a.Hidden), hidden);
        SimdMath.Tanh(hidden);
        SimdMath.MatVec(p.Slice(a.W2Offset, a.Outputs * a.Hidden), hidden, p.Slice(a.B2Offset, a.Outputs), y);
    }

    /// <summary>
    /// Forward, backward and SGD update of one unit in place, as <see cref="ReferenceMlp.LearnStep"/> defines it.
    /// Returns the loss before the step, or NaN when the step is rejected and <paramref name="p"/> left unchanged.
    /// </summary>
    public static float LearnStep(
        MlpArchitecture a,
        Span<float> p,
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> t,
        LearnSettings settings,
        ReadOnlySpan<uint> prunedWords,
        Span<float> scratch)
    {
        var hidden = scratch[..a.Hidden];
        var y = scratch.Slice(a.Hidden, a.Outputs);
        var outputDelta = scratch.Slice(a.Hidden + a.Outputs, a.Outputs);
        var hiddenDelta = scratch.Slice(a.Hidden + 2 * a.Outputs, a.Hidden);
        var gradient = scratch.Slice(2 * (a.Hidden + a.Outputs), a.ParameterCount);
        var updated = scratch.Slice(2 * (a.Hidden + a.Outputs) + a.ParameterCount, a.ParameterCount);

        Forward(a, p, x, hidden, y);
        var loss = LossAndOutputDelta(settings.Loss, y, t, outputDelta);

        // hiddenDelta = (W2ᵀ·outputDelta) ⊙ (1 − hidden²), accumulated row by row of W2 to stay contiguous.
        hiddenDelta.Clear();
        for (var k = 0; k < a.Outputs; k++)
        {
            TensorPrimitives.MultiplyAdd(p.Slice(a.W2Offset + k * a.Hidden, a.Hidden), outputDelta[k], hiddenDelta, hiddenDelta);
        }

        for (var h = 0; h < a.Hidden; h++)
        {
            hiddenDelta[h] *= 1f - hidden[h] * hidden[h];
        }

        for (var h = 0; h < a.Hidden; h++)
        {
            TensorPrimitives.Multiply(x, hiddenDelta[h], gradient.Slice(a.W1Offset + h * a.Inputs, a.Inputs));
        }

        hiddenDelta.CopyTo(gradient.Slice(a.B1Offset, a.Hidden));
        for (var k = 0; k < a.Outputs; k++)
        {
            TensorPrimitives.Multiply(hidden, outputDelta[k], gradient.Slice(a.W2Offset + k * a.Hidden, a.Hidden));
        }

        outputDelta.CopyTo(gradient.Slice(a.B2Offset, a.Outputs));
        ZeroPruned(gradient, prunedWords);

        var scale = 1f;
        if (settings.GradientClip > 0f)
        {
            var norm = TensorPrimitives.Norm(gradient);
            if (!float.IsFinite(norm))
            {
                return float.NaN;
            }

            scale = norm > settings.GradientClip ? settings.GradientClip / norm : 1f;
        }

        if (!float.IsFinite(loss))
        {
            return float.NaN;
        }

        TensorPrimitives.MultiplyAdd(gradient, -settings.LearningRate * scale, p, updated);
        if (BatchValidator.IndexOfNonFinite(updated) >= 0)
        {
            return float.NaN;
        }

        updated.CopyTo(p);
        return loss;
    }

    private static float LossAndOutputDelta(LossKind loss, ReadOnlySpan<float> y, ReadOnlySpan<float> t, Span<float> delta)
    {
        var sum = 0f;
        if (loss == LossKind.MeanSquaredError)
        {
            for (var k = 0; k < y.Length; k++)
            {
                var error = y[k] - t[k];
                delta[k] = 2f / y.Length * error;
                sum += error * error;
            }

            return sum / y.Length;
        }

        var max = TensorPrimitives.Max(y);
        var expSum = 0f;
        var targetMass = 0f;
        for (var k = 0; k < y.Length; k++)
        {
            expSum += MathF.Exp(y[k] - max);
            targetMass += t[k];
        }

        var logSumExp = max + MathF.Log(expSum);
        for (var k = 0; k < y.Length; k++)
        {
            delta[k] = MathF.Exp(y[k] - logSumExp) * targetMass - t[k];
            sum += t[k] * (logSumExp - y[k]);
        }

        return sum;
    }

    private static void ZeroPruned(Span<float> gradient, ReadOnlySpan<uint> prunedWords)
    {
        for (var w = 0; w < prunedWords.Length; w++)
        {
            for (var bits = prunedWords[w]; bits != 0; bits &= bits - 1)
            {
                gradient[w * 32 + System.Numerics.BitOperations.TrailingZeroCount(bits)] = 0f;
            }
        }
    }
}
