namespace Galaxy.Training;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood): a tiny generator that gives the same stream on every platform and runtime, so a
/// candidate's shuffles and augmentations are a pure function of its seed and epoch: a population, a candidate trained
/// alone and a run resumed from a checkpoint all see the same samples in the same order.
/// </summary>
internal struct DeterministicRandom(ulong seed)
{
    private ulong _state = seed;
    private double _spareGaussian = double.NaN;

    /// <summary>The stream of one candidate in one epoch.</summary>
    public static DeterministicRandom ForEpoch(int candidateSeed, int epoch) =>
        new(Mix((ulong)(uint)candidateSeed << 32 | (uint)epoch));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound).</summary>
    public int NextInt(int bound) => (int)(NextDouble() * bound);

    /// <summary>Standard normal, by Box and Muller: each draw of two uniforms gives two, the second kept for the next call.</summary>
    public double NextGaussian()
    {
        if (!double.IsNaN(_spareGaussian))
        {
            var spare = _spareGaussian;
            _spareGaussian = double.NaN;
            return spare;
        }

        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * NextDouble());
        _spareGaussian = radius * sin;
        return radius * cos;
    }

    /// <summary>Beta(α, α), as the ratio of two gammas.</summary>
    public double NextSymmetricBeta(double alpha)
    {
        var x = NextGamma(alpha);
        var y = NextGamma(alpha);
        return x + y > 0 ? x / (x + y) : 0.5;
    }

    /// <summary>Fisher–Yates over <paramref name="items"/>.</summary>
    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang, with the usual boost for shape &lt; 1.</summary>
    private double NextGamma(double shape)
    {
        if (shape < 1)
        {
            return NextGamma(shape + 1) * Math.Pow(1.0 - NextDouble(), 1 / shape);
        }

        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            var x = NextGaussian();
            var v = 1 + c * x;
            if (v <= 0)
            {
                continue;
            }

            v = v * v * v;
            var u = 1.0 - NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
            {
                return d * v;
            }
        }
    }

    private ulong Next() => Mix(_state += 0x9E3779B97F4A7C15UL);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
