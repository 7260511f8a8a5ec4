using Galaxy.Kernels;

namespace Galaxy.Training;

/// <summary>How a classifier's K outputs are read: the class is the largest, the loss is the training loss's.</summary>
internal static class Scoring
{
    /// <summary>The index of the largest output (the first, on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> outputs)
    {
        var best = 0;
        for (var k = 1; k < outputs.Length; k++)
        {
            if (outputs[k] > outputs[best])
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>Cross-entropy of the softmax against the class, or squared error to its one-hot vector, as the kernels define them.</summary>
    public static double Loss(LossKind loss, ReadOnlySpan<float> outputs, int label)
    {
        if (loss == LossKind.MeanSquaredError)
        {
            var sum = 0.0;
            for (var k = 0; k < outputs.Length; k++)
            {
                var error = outputs[k] - (k == label ? 1.0 : 0.0);
                sum += error * error;
            }

            return sum / outputs.Length;
        }

        double max = outputs[ArgMax(outputs)];
        var expSum = 0.0;
        foreach (var y in outputs)
        {
            expSum += Math.Exp(y - max);
        }

        return max + Math.Log(expSum) - outputs[label];
    }
}
