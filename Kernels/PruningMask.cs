namespace Galaxy.Kernels;

/// <summary>
/// Which of a unit's packed parameters are pruned. Applying a mask to units zeroes their pruned parameters, and
/// later learn steps keep them zero (their gradient counts as zero, also in the clip norm). Stored as one bit per
/// parameter, 1 = pruned.
/// </summary>
public sealed class PruningMask
{
    private readonly uint[] _prunedWords;

    private PruningMask(MlpArchitecture architecture, uint[] prunedWords)
    {
        Architecture = architecture;
        _prunedWords = prunedWords;
        PrunedCount = prunedWords.Sum(w => System.Numerics.BitOperations.PopCount(w));
    }

    public MlpArchitecture Architecture { get; }

    public int PrunedCount { get; }

    /// <summary>The mask words of one unit: bit <c>i % 32</c> of word <c>i / 32</c> is set when parameter i is pruned.</summary>
    internal ReadOnlySpan<uint> PrunedWords => _prunedWords;

    /// <summary>Mask words per unit for an architecture.</summary>
    public static int WordsPerUnit(MlpArchitecture architecture) => (architecture.ParameterCount + 31) / 32;

    /// <summary>A mask from one flag per packed parameter: <c>true</c> keeps the parameter, <c>false</c> prunes it.</summary>
    public static PruningMask FromKept(MlpArchitecture architecture, ReadOnlySpan<bool> kept)
    {
        architecture.EnsureValid();
        if (kept.Length != architecture.ParameterCount)
        {
            throw new ArgumentException(
                $"Expected one flag per parameter ({architecture.ParameterCount}), got {kept.Length}.", nameof(kept));
        }

        var words = new uint[WordsPerUnit(architecture)];
        for (var i = 0; i < kept.Length; i++)
        {
            if (!kept[i])
            {
                words[i >> 5] |= 1u << (i & 31);
            }
        }

        return new PruningMask(architecture, words);
    }

    /// <summary>
    /// Structured pruning: removes every hidden unit h whose flag is <c>false</c>, i.e. row h of W1, <c>b1[h]</c> and
    /// column h of W2.
    /// </summary>
    public static PruningMask HiddenUnits(MlpArchitecture architecture, ReadOnlySpan<bool> keptHidden)
    {
        architecture.EnsureValid();
        if (keptHidden.Length != architecture.Hidden)
        {
            throw new ArgumentException(
                $"Expected one flag per hidden unit ({architecture.Hidden}), got {keptHidden.Length}.", nameof(keptHidden));
        }

        var kept = new bool[architecture.ParameterCount];
        kept.AsSpan().Fill(true);
        for (var h = 0; h < architecture.Hidden; h++)
        {
            if (keptHidden[h])
            {
                continue;
            }

            kept.AsSpan(architecture.W1Offset + h * architecture.Inputs, architecture.Inputs).Clear();
            kept[architecture.B1Offset + h] = false;
            for (var k = 0; k < architecture.Outputs; k++)
            {
                kept[architecture.W2Offset + k * architecture.Hidden + h] = false;
            }
        }

        return FromKept(architecture, kept);
    }

    public bool IsPruned(int parameterIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameterIndex, Architecture.ParameterCount);
        return IsPruned(_prunedWords, parameterIndex);
    }

    internal static bool IsPruned(ReadOnlySpan<uint> prunedWords, int parameterIndex) =>
        (prunedWords[parameterIndex >> 5] & (1u << (parameterIndex & 31))) != 0;
}
