using System.Diagnostics.CodeAnalysis;
using Galaxy.Kernels.Ilgpu;

namespace Galaxy.Kernels;

/// <summary>
/// The shape of every unit's model: <see cref="Inputs"/> (D) inputs, <see cref="Hidden"/> (H) tanh units and
/// <see cref="Outputs"/> (K) linear outputs. A unit's parameters are one packed buffer, row-major:
/// <c>W1[H×D] | b1[H] | W2[K×H] | b2[K]</c>, so <c>W1[h, d]</c> sits at <c>h·D + d</c> and <c>W2[k, h]</c> at
/// <c>W2Offset + k·H + h</c>.
/// </summary>
public readonly record struct MlpArchitecture(int Inputs, int Hidden, int Outputs)
{
    public const int MaxDimension = 256;

    /// <summary>The default unit: D=16, H=16, K=4, 340 parameters.</summary>
    public static MlpArchitecture Default { get; } = new(16, 16, 4);

    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public int W1Offset => 0;
    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public int B1Offset => Hidden * Inputs;
    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public int W2Offset => B1Offset + Hidden;
    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public int B2Offset => W2Offset + Outputs * Hidden;
    // Stryker disable once all : ILGPU device code, see DeviceCode
    [ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]
    public int ParameterCount => B2Offset + Outputs;

    /// <summary>Multiply-adds of one forward pass (the FLOP count is twice this).</summary>
    public long ForwardMultiplyAdds => (long)Hidden * Inputs + (long)Outputs * Hidden;

    public bool IsValid => InRange(Inputs) && InRange(Hidden) && InRange(Outputs);

    public void EnsureValid()
    {
        if (!IsValid)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MlpArchitecture), this, $"Every dimension must lie in 1…{MaxDimension}.");
        }
    }

    /// <summary>
    /// Fills <paramref name="parameters"/> with deterministic Xavier-uniform weights drawn from <paramref name="seed"/>
    /// (biases zero), so a unit's initial model is a pure function of its id.
    /// </summary>
    public void InitializeParameters(long seed, Span<float> parameters)
    {
        EnsureValid();
        if (parameters.Length != ParameterCount)
        {
            throw new ArgumentException($"Expected {ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        var random = new SplitMix64((ulong)seed);
        FillUniform(parameters.Slice(W1Offset, Hidden * Inputs), MathF.Sqrt(6f / (Inputs + Hidden)), ref random);
        parameters.Slice(B1Offset, Hidden).Clear();
        FillUniform(parameters.Slice(W2Offset, Outputs * Hidden), MathF.Sqrt(6f / (Hidden + Outputs)), ref random);
        parameters.Slice(B2Offset, Outputs).Clear();
    }

    public override string ToString() => $"{Inputs}-{Hidden}-{Outputs}";

    private static bool InRange(int dimension) => dimension is >= 1 and <= MaxDimension;

    private static void FillUniform(Span<float> values, float limit, ref SplitMix64 random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (2f * random.NextUnitFloat() - 1f) * limit;
        }
    }

    /// <summary>Steele, Lea and Flood's SplitMix64: tiny, fast, and the same on every platform.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public float NextUnitFloat() => (Next() >> 40) * (1f / (1 << 24));

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
