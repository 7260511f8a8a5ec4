namespace Galaxy.Kernels;

/// <summary>
/// The plain double-precision scalar definition of every kernel: what the backends compute, written to be read, not
/// to be fast. Tests compare every backend against it; it allocates freely.
/// </summary>
internal static class ReferenceMlp
{
    /// <summary>Forward pass: <c>a = tanh(W1·x + b1)</c>, <c>y = W2·a + b2</c>. Returns y; fills <paramref name="hidden"/> (H) when given.</summary>
    public static double[] Forward(MlpArchitecture a, ReadOnlySpan<double> p, ReadOnlySpan<double> x, Span<double> hidden = default)
    {
        var activations = hidden.IsEmpty ? new double[a.Hidden] : hidden;
        for (var h = 0; h < a.Hidden; h++)
        {
            var sum = p[a.B1Offset + h];
            for (var d = 0; d < a.Inputs; d++)
            {
                sum += p[a.W1Offset + h * a.Inputs + d] * x[d];
            }

            activations[h] = Math.Tanh(sum);
        }

        var y = new double[a.Outputs];
        for (var k = 0; k < a.Outputs; k++)
        {
            var sum = p[a.B2Offset + k];
            for (var h = 0; h < a.Hidden; h++)
            {
                sum += p[a.W2Offset + k * a.Hidden + h] * activations[h];
            }

            y[k] = sum;
        }

        return y;
    }

    /// <summary>The loss of outputs y against targets t (see <see cref="LossKind"/>).</summary>
    public static double Loss(LossKind loss, ReadOnlySpan<double> y, ReadOnlySpan<double> t)
    {
        var sum = 0.0;
        if (loss == LossKind.MeanSquaredError)
        {
            for (var k = 0; k < y.Length; k++)
            {
                sum += (y[k] - t[k]) * (y[k] - t[k]);
            }

            return sum / y.Length;
        }

        var logSumExp = LogSumExp(y);
        for (var k = 0; k < y.Length; k++)
        {
            sum += t[k] * (logSumExp - y[k]);
        }

        return sum;
    }

    /// <summary>The analytic gradient of the loss with respect to every packed parameter; returns the loss.</summary>
    public static double Gradient(
        MlpArchitecture a, LossKind loss, ReadOnlySpan<double> p, ReadOnlySpan<double> x, ReadOnlySpan<double> t, Span<double> gradient)
    {
        var hidden = new double[a.Hidden];
        var y = Forward(a, p, x, hidden);
        var outputDelta = new double[a.Outputs];
        if (loss == LossKind.MeanSquaredError)
        {
            for (var k = 0; k < a.Outputs; k++)
            {
                outputDelta[k] = 2.0 / a.Outputs * (y[k] - t[k]);
            }
        }
        else
        {
            var logSumExp = LogSumExp(y);
            var targetMass = 0.0;
            foreach (var tk in t)
            {
                targetMass += tk;
            }

            for (var k = 0; k < a.Outputs; k++)
            {
                outputDelta[k] = Math.Exp(y[k] - logSumExp) * targetMass - t[k];
            }
        }

        for (var k = 0; k < a.Outputs; k++)
        {
            gradient[a.B2Offset + k] = outputDelta[k];
            for (var h = 0; h < a.Hidden; h++)
            {
                gradient[a.W2Offset + k * a.Hidden + h] = outputDelta[k] * hidden[h];
            }
        }

        for (var h = 0; h < a.Hidden; h++)
        {
            var back = 0.0;
            for (var k = 0; k < a.Outputs; k++)
            {
                back += p[a.W2Offset + k * a.Hidden + h] * outputDelta[k];
            }

            var hiddenDelta = back * (1 - hidden[h] * hidden[h]);
            gradient[a.B1Offset + h] = hiddenDelta;
            for (var d = 0; d < a.Inputs; d++)
            {
                gradient[a.W1Offset + h * a.Inputs + d] = hiddenDelta * x[d];
            }
        }

        return Loss(loss, y, t);
    }

    /// <summary>
    /// One SGD step on float parameters, computed in double: zero the pruned gradient, clip its L2 norm, step, and
    /// reject (leave p unchanged, return NaN) when the loss, the norm or any new float parameter is not finite.
    /// Returns the loss before the step.
    /// </summary>
    public static double LearnStep(
        MlpArchitecture a,
        Span<float> p,
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> t,
        LearnSettings settings,
        ReadOnlySpan<uint> prunedWords = default)
    {
        var gradient = new double[a.ParameterCount];
        var loss = Gradient(a, settings.Loss, ToDouble(p), ToDouble(x), ToDouble(t), gradient);
        var squaredNorm = 0.0;
        for (var i = 0; i < gradient.Length; i++)
        {
            if (!prunedWords.IsEmpty && PruningMask.IsPruned(prunedWords, i))
            {
                gradient[i] = 0;
            }

            squaredNorm += gradient[i] * gradient[i];
        }

        var norm = Math.Sqrt(squaredNorm);
        var clip = settings.GradientClip > 0 && norm > settings.GradientClip ? settings.GradientClip / norm : 1.0;
        if (!double.IsFinite(loss) || (settings.GradientClip > 0 && !double.IsFinite(norm)))
        {
            return double.NaN;
        }

        var updated = new float[p.Length];
        for (var i = 0; i < p.Length; i++)
        {
            updated[i] = (float)(p[i] - settings.LearningRate * clip * gradient[i]);
            if (!float.IsFinite(updated[i]))
            {
                return double.NaN;
            }
        }

        updated.CopyTo(p);
        return loss;
    }

    /// <summary>Forward pass of one int8-quantised unit (layout in <see cref="Int8Quantization"/>).</summary>
    public static double[] QuantizedForward(
        MlpArchitecture a, ReadOnlySpan<sbyte> weights, ReadOnlySpan<float> floats, ReadOnlySpan<float> x)
    {
        var hidden = new double[a.Hidden];
        for (var h = 0; h < a.Hidden; h++)
        {
            var sum = 0.0;
            for (var d = 0; d < a.Inputs; d++)
            {
                sum += weights[h * a.Inputs + d] * (double)x[d];
            }

            hidden[h] = Math.Tanh(floats[Int8Quantization.Scale1Offset(a) + h] * sum + floats[Int8Quantization.Bias1Offset(a) + h]);
        }

        var y = new double[a.Outputs];
        for (var k = 0; k < a.Outputs; k++)
        {
            var sum = 0.0;
            for (var h = 0; h < a.Hidden; h++)
            {
                sum += weights[Int8Quantization.W2qOffset(a) + k * a.Hidden + h] * hidden[h];
            }

            y[k] = floats[Int8Quantization.Scale2Offset(a) + k] * sum + floats[Int8Quantization.Bias2Offset(a) + k];
        }

        return y;
    }

    /// <summary>The documented bound on |int8 forward − fp32 forward| per output (see <see cref="IQuantizedTable"/>).</summary>
    public static double[] QuantizationErrorBound(MlpArchitecture a, ReadOnlySpan<float> p, ReadOnlySpan<float> x)
    {
        var hidden = new double[a.Hidden];
        Forward(a, ToDouble(p), ToDouble(x), hidden);
        var inputL1 = 0.0;
        foreach (var xd in x)
        {
            inputL1 += Math.Abs(xd);
        }

        var hiddenError = new double[a.Hidden];
        for (var h = 0; h < a.Hidden; h++)
        {
            hiddenError[h] = RowScale(p.Slice(a.W1Offset + h * a.Inputs, a.Inputs)) / 2 * inputL1;
        }

        var bound = new double[a.Outputs];
        for (var k = 0; k < a.Outputs; k++)
        {
            var row = p.Slice(a.W2Offset + k * a.Hidden, a.Hidden);
            var halfScale = RowScale(row) / 2;
            for (var h = 0; h < a.Hidden; h++)
            {
                bound[k] += Math.Abs(row[h]) * hiddenError[h] + halfScale * (Math.Abs(hidden[h]) + hiddenError[h]);
            }
        }

        return bound;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static double RowScale(ReadOnlySpan<float> row)
    {
        var largest = 0.0;
        foreach (var w in row)
        {
            largest = Math.Max(largest, Math.Abs(w));
        }

        return largest / 127;
    }

    private static double LogSumExp(ReadOnlySpan<double> y)
    {
        var max = double.NegativeInfinity;
        foreach (var v in y)
        {
            max = Math.Max(max, v);
        }

        var sum = 0.0;
        foreach (var v in y)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
