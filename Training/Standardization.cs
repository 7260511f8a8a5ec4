namespace Galaxy.Training;

/// <summary>
/// The input preprocessing a trained version carries, so that clients send raw features: <c>x'[i] = (x[i] − Offsets[i]) ·
/// Scales[i]</c>. <see cref="Fit"/> makes it a per-feature standardisation.
/// </summary>
public sealed record Standardization(float[] Offsets, float[] Scales)
{
    /// <summary>
    /// Offsets are the features' means; scales are one over their standard deviations, each deviation raised to at least
    /// <paramref name="floorFraction"/> of the mean deviation. Without that floor a feature that is almost constant in
    /// the training data (a pixel in the corner of every digit) would be magnified into the largest input the model sees,
    /// and a new writer who touches that corner would swing its answer.
    /// </summary>
    public static Standardization Fit(LabelledData data, float floorFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floorFraction);
        var d = data.Features;
        var mean = new double[d];
        var squares = new double[d];
        for (var row = 0; row < data.Rows; row++)
        {
            var x = data.Row(row);
            for (var i = 0; i < d; i++)
            {
                mean[i] += x[i];
                squares[i] += (double)x[i] * x[i];
            }
        }

        var deviation = new double[d];
        for (var i = 0; i < d; i++)
        {
            mean[i] /= data.Rows;
            deviation[i] = Math.Sqrt(Math.Max(0, squares[i] / data.Rows - mean[i] * mean[i]));
        }

        // A feature that never varies (and no floor to raise it to) has nothing to scale by: it is only centred.
        var floor = floorFraction * deviation.Average();
        return new Standardization(
            mean.Select(m => (float)m).ToArray(),
            deviation.Select(s => Math.Max(s, floor) is var scaleBy and > 0 ? (float)(1 / scaleBy) : 1f).ToArray());
    }

    public void Apply(Span<float> row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = (row[i] - Offsets[i]) * Scales[i];
        }
    }
}
