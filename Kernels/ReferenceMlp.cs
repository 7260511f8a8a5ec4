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

    /// <summary>
    /// Forward pass of one int8 unit (layout in <see cref="Int8Quantization"/>), as <see cref="IQuantizedTable"/> defines
    /// it: the roundings of the input and of the hidden activations in float32, exactly as the kernels make them, the
    /// integer sums exact, the rest in double. When given, <paramref name="tieAllowance"/>[k] receives how far output k
    /// may move if a backend rounds an activation that lies within float rounding of a tie the other way.
    /// </summary>
    public static double[] QuantizedForward(
        MlpArchitecture a, ReadOnlySpan<sbyte> weights, ReadOnlySpan<float> floats, ReadOnlySpan<float> x, Span<double> tieAllowance = default)
    {
        var xq = new int[a.Inputs];
        var inputScale = QuantizeInput(x, xq);
        var hidden = new int[a.Hidden];
        var ties = new bool[a.Hidden];
        for (var h = 0; h < a.Hidden; h++)
        {
            long sum = 0;
            for (var d = 0; d < a.Inputs; d++)
            {
                sum += weights[Int8Quantization.W1Index(a, h, d)] * xq[d];
            }

            var activation = Math.Tanh((double)floats[Int8Quantization.Scale1Offset(a) + h] * inputScale * sum + floats[Int8Quantization.Bias1Offset(a) + h]);
            var steps = 127 * activation;
            hidden[h] = (int)Math.Round(steps, MidpointRounding.ToEven);
            ties[h] = Math.Abs(Math.Abs(steps - Math.Truncate(steps)) - 0.5) < 1e-3;
        }

        var y = new double[a.Outputs];
        for (var k = 0; k < a.Outputs; k++)
        {
            long sum = 0;
            var allowance = 0.0;
            for (var h = 0; h < a.Hidden; h++)
            {
                var w = weights[Int8Quantization.W2Index(a, k, h)];
                sum += w * hidden[h];
                allowance += ties[h] ? Math.Abs(w) : 0;
            }

            var scale = floats[Int8Quantization.Scale2Offset(a) + k] / 127.0;
            y[k] = scale * sum + floats[Int8Quantization.Bias2Offset(a) + k];
            if (!tieAllowance.IsEmpty)
            {
                tieAllowance[k] = scale * allowance;
            }
        }

        return y;
    }

    /// <summary>
    /// The documented bound on |int8 forward − fp32 forward| per output (see <see cref="IQuantizedTable"/>): the
    /// weights' rounding against the original parameters <paramref name="p"/>, plus the input's and activations'.
    /// </summary>
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

        var weights = new sbyte[Int8Quantization.WeightBytes(a)];
        var floats = new float[Int8Quantization.FloatCount(a)];
        Int8Quantization.QuantizeUnit(a, p, weights, floats);
        var bound = ActivationQuantizationBound(a, weights, floats, x);
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

    /// <summary>
    /// The documented bound on |int8 forward − dequantised fp32 forward| per output: what rounding the input and the
    /// hidden activations to int8 can cost (see <see cref="IQuantizedTable"/>).
    /// </summary>
    public static double[] ActivationQuantizationBound(MlpArchitecture a, ReadOnlySpan<sbyte> weights, ReadOnlySpan<float> floats, ReadOnlySpan<float> x)
    {
        var inputScale = QuantizeInput(x, new int[a.Inputs]);
        var hiddenError = new double[a.Hidden];
        for (var h = 0; h < a.Hidden; h++)
        {
            long magnitude = 0;
            for (var d = 0; d < a.Inputs; d++)
            {
                magnitude += Math.Abs(weights[Int8Quantization.W1Index(a, h, d)]);
            }

            hiddenError[h] = floats[Int8Quantization.Scale1Offset(a) + h] * (inputScale / 2) * magnitude + 1.0 / 254;
        }

        var bound = new double[a.Outputs];
        for (var k = 0; k < a.Outputs; k++)
        {
            for (var h = 0; h < a.Hidden; h++)
            {
                bound[k] += Math.Abs(weights[Int8Quantization.W2Index(a, k, h)]) * hiddenError[h];
            }

            bound[k] *= floats[Int8Quantization.Scale2Offset(a) + k];
        }

        return bound;
    }

    /// <summary>The input's int8 rounding as the kernels make it, in float32; returns its scale <c>m / 127</c>.</summary>
    private static double QuantizeInput(ReadOnlySpan<float> x, Span<int> xq)
    {
        var largest = 0f;
        foreach (var value in x)
        {
            largest = MathF.Max(largest, MathF.Abs(value));
        }

        if (largest == 0f)
        {
            xq.Clear();
            return 0;
        }

        var inverse = 127f / largest;
        for (var d = 0; d < x.Length; d++)
        {
            xq[d] = (int)MathF.Round(x[d] * inverse, MidpointRounding.ToEven);
        }

        return largest / 127f;
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
