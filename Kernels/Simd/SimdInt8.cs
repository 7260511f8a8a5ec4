using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Galaxy.Kernels.Simd;

/// <summary>
/// One int8 unit's forward pass (<see cref="IQuantizedTable"/> defines it) on integer dot products. The input and the
/// hidden activations are rounded to int8; each group of four of them is broadcast to every 32-bit lane and multiplied
/// with a block of the weights (<see cref="Int8Quantization"/>: 8 rows × 4 bytes), so every lane accumulates one row's
/// exact int32 sum and nothing needs a horizontal add. With AVX-VNNI a block step is <c>vpdpbusd</c>; with AVX2 alone,
/// <c>vpmaddubsw</c> then <c>vpmaddwd</c>. Both multiply unsigned by signed bytes, so each product is taken as
/// <c>|x|·(w·sign x)</c>: exact, as <c>|x|, |w| ≤ 127</c> keeps a pair's sum within int16. The whole unit stays in
/// registers and a little scratch in L1. Without AVX2, a scalar loop computes the same thing.
/// </summary>
internal static unsafe class SimdInt8
{
    private const int Block = 16;

    /// <summary>Scratch bytes <see cref="Forward"/> needs for an architecture (one buffer per thread, reused for every unit).</summary>
    public static int ScratchBytes(MlpArchitecture a) =>
        2 * 32 * (Int8Quantization.InputQuads(a) + Int8Quantization.HiddenQuads(a) / 2)
        + (sizeof(float) + 1) * RoundUp(a.Inputs) + RoundUp(Int8Quantization.PaddedHidden(a)) + sizeof(float) * Int8Quantization.PaddedOutputs(a);

    /// <summary>
    /// <paramref name="y"/> (K floats) = the int8 unit at <paramref name="unit"/> (its weight bytes, then its floats)
    /// applied to <paramref name="x"/> (D floats). <paramref name="scratch"/>: <see cref="ScratchBytes"/>, 32-byte aligned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(MlpArchitecture a, byte* unit, float* x, float* y, byte* scratch)
    {
        if (!Avx2.IsSupported)
        {
            Scalar(a, unit, x, y);
            return;
        }

        if (a == MlpArchitecture.Default)
        {
            Default(unit, x, y);
            return;
        }

        var inputQuads = Int8Quantization.InputQuads(a);
        var hiddenPairs = Int8Quantization.HiddenQuads(a) / 2;
        var signs = (Vector256<sbyte>*)scratch;
        var magnitudes = (Vector256<byte>*)(signs + inputQuads);
        var pairSigns = (Vector256<sbyte>*)(magnitudes + inputQuads);
        var pairMagnitudes = (Vector256<byte>*)(pairSigns + hiddenPairs);
        var padded = (float*)(pairMagnitudes + hiddenPairs);
        var xq = (sbyte*)(padded + RoundUp(a.Inputs));
        var aq = xq + RoundUp(a.Inputs);
        var tail = (float*)(aq + RoundUp(Int8Quantization.PaddedHidden(a)));
        var floats = (float*)(unit + Int8Quantization.WeightBytes(a));

        // The input, rounded: xq = round(x·127/m), s_x = m/127; each group of four bytes broadcast to every lane.
        var input = x;
        if (a.Inputs % Block != 0)
        {
            new Span<float>(x, a.Inputs).CopyTo(new Span<float>(padded, a.Inputs));
            new Span<float>(padded + a.Inputs, RoundUp(a.Inputs) - a.Inputs).Clear();
            input = padded;
        }

        var largest = MaxMagnitude(input, RoundUp(a.Inputs));
        Round(input, RoundUp(a.Inputs), largest == 0f ? 0f : 127f / largest, xq);
        for (var j = 0; j < inputQuads; j++)
        {
            signs[j] = Vector256.Create(*(int*)(xq + 4 * j)).AsSByte();
            magnitudes[j] = Avx2.Abs(signs[j]);
        }

        // Layer 1, a block of 8 hidden units at a time: aq_h = round(127·tanh(Σ W1q·xq · (s1_h·s_x) + b1_h)).
        var w1 = (Vector256<sbyte>*)unit;
        var scale1 = floats + Int8Quantization.Scale1Offset(a);
        var bias1 = floats + Int8Quantization.Bias1Offset(a);
        var factor = Vector256.Create(largest / 127f);
        var blocks = Int8Quantization.PaddedHidden(a) / Int8Quantization.HiddenBlock;
        var previous = Vector256<int>.Zero;
        for (var b = 0; b < blocks; b++)
        {
            var block = w1 + b * inputQuads;
            var sums = Dot(Vector256<int>.Zero, block[0], magnitudes[0], signs[0]);
            for (var j = 1; j < inputQuads; j++)
            {
                sums = Dot(sums, block[j], magnitudes[j], signs[j]);
            }

            var pre = Avx.ConvertToVector256Single(sums) * (Vector256.Load(scale1 + 8 * b) * factor) + Vector256.Load(bias1 + 8 * b);
            var rounded = Avx.ConvertToVector256Int32(Tanh(pre) * 127f);
            if (b % 2 == 1)
            {
                Pack(previous, rounded).Store(aq + 8 * (b - 1));
            }
            else if (b == blocks - 1)
            {
                Pack(rounded, Vector256<int>.Zero).Store(aq + 8 * b);
            }

            previous = rounded;
        }

        // Layer 2, a block of 4 outputs at a time, two groups of four hidden units per register: y_k = Σ W2q·aq · (s2_k/127) + b2_k.
        for (var i = 0; i < hiddenPairs; i++)
        {
            pairSigns[i] = Vector256.Create(Vector128.Create(*(int*)(aq + 8 * i)), Vector128.Create(*(int*)(aq + 8 * i + 4))).AsSByte();
            pairMagnitudes[i] = Avx2.Abs(pairSigns[i]);
        }

        var w2 = (Vector256<sbyte>*)(unit + Int8Quantization.W2qOffset(a));
        var scale2 = floats + Int8Quantization.Scale2Offset(a);
        var bias2 = floats + Int8Quantization.Bias2Offset(a);
        for (var k = 0; k < a.Outputs; k += Int8Quantization.OutputBlock)
        {
            var block = w2 + k / Int8Quantization.OutputBlock * hiddenPairs;
            var sums = Dot(Vector256<int>.Zero, block[0], pairMagnitudes[0], pairSigns[0]);
            for (var i = 1; i < hiddenPairs; i++)
            {
                sums = Dot(sums, block[i], pairMagnitudes[i], pairSigns[i]);
            }

            var outputs = Sse2.ConvertToVector128Single(sums.GetLower() + sums.GetUpper()) * (Vector128.Load(scale2 + k) * (1f / 127f))
                + Vector128.Load(bias2 + k);
            if (k + Int8Quantization.OutputBlock <= a.Outputs)
            {
                outputs.Store(y + k);
            }
            else
            {
                outputs.Store(tail);
                new Span<float>(tail, a.Outputs - k).CopyTo(new Span<float>(y + k, a.Outputs - k));
            }
        }
    }

    /// <summary>
    /// The default unit (16-16-4), which the galaxy tick runs a million times: the same steps as the general loop,
    /// unrolled, with every vector in a register (measured here: 50 ns a unit against the loop's 83, on a busy core).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Default(byte* unit, float* x, float* y)
    {
        var x0 = Vector256.Load(x);
        var x1 = Vector256.Load(x + 8);
        var largest = Vector256.Max(Vector256.Abs(x0), Vector256.Abs(x1));
        var half = Vector128.Max(largest.GetLower(), largest.GetUpper());
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        var m = Vector256.Create(half, half);
        var inverse = Vector256.ConditionalSelect(Vector256.Equals(m, Vector256<float>.Zero), Vector256<float>.Zero, Vector256.Create(127f) / m);
        var xq = Pack(Avx.ConvertToVector256Int32(x0 * inverse), Avx.ConvertToVector256Int32(x1 * inverse)).AsInt32();

        // Each group of four input bytes in every lane: both halves hold xq, and vpshufd picks one int32 per half.
        var both = Vector256.Create(xq, xq);
        var q0 = Avx2.Shuffle(both, 0x00).AsSByte();
        var q1 = Avx2.Shuffle(both, 0x55).AsSByte();
        var q2 = Avx2.Shuffle(both, 0xAA).AsSByte();
        var q3 = Avx2.Shuffle(both, 0xFF).AsSByte();
        var (m0, m1, m2, m3) = (Avx2.Abs(q0), Avx2.Abs(q1), Avx2.Abs(q2), Avx2.Abs(q3));

        var w = (Vector256<sbyte>*)unit;
        var floats = (float*)(unit + 320);
        var factor = m / 127f;
        var sums0 = (Product(w[0], m0, q0) + Product(w[1], m1, q1)) + (Product(w[2], m2, q2) + Product(w[3], m3, q3));
        var sums1 = (Product(w[4], m0, q0) + Product(w[5], m1, q1)) + (Product(w[6], m2, q2) + Product(w[7], m3, q3));
        var pre0 = Avx.ConvertToVector256Single(sums0) * (Vector256.Load(floats) * factor) + Vector256.Load(floats + 16);
        var pre1 = Avx.ConvertToVector256Single(sums1) * (Vector256.Load(floats + 8) * factor) + Vector256.Load(floats + 24);
        var aq = Pack(Avx.ConvertToVector256Int32(Tanh(pre0) * 127f), Avx.ConvertToVector256Int32(Tanh(pre1) * 127f)).AsInt32();

        // Hidden groups 0 and 1 in the two halves of one register, 2 and 3 in another.
        var activations = Vector256.Create(aq, aq);
        var b01 = Avx2.PermuteVar8x32(activations, Vector256.Create(0, 0, 0, 0, 1, 1, 1, 1)).AsSByte();
        var b23 = Avx2.PermuteVar8x32(activations, Vector256.Create(2, 2, 2, 2, 3, 3, 3, 3)).AsSByte();
        var w2 = (Vector256<sbyte>*)(unit + 256);
        var sums = Product(w2[0], Avx2.Abs(b01), b01) + Product(w2[1], Avx2.Abs(b23), b23);
        var outputs = Sse2.ConvertToVector128Single(sums.GetLower() + sums.GetUpper()) * (Vector128.Load(floats + 32) * (1f / 127f))
            + Vector128.Load(floats + 36);
        outputs.Store(y);
    }

    /// <summary>
    /// tanh for an activation about to be rounded to a 127th: the [7/6] Padé approximant on [−3.2, 3.2], within 1.8e-6
    /// of tanh there (a 70th of the 1/127 step), and clamped beyond, where <c>127·tanh</c> rounds to ±127 anyway
    /// (127·tanh(3.2) = 126.58). Seven multiply-adds and a division, against <see cref="SimdMath.Tanh(Vector256{float})"/>'s ten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Tanh(Vector256<float> x)
    {
        var limit = Vector256.Create(3.2f);
        var clamped = Vector256.Min(Vector256.Max(x, -limit), limit);
        var x2 = clamped * clamped;
        var numerator = Vector256.MultiplyAddEstimate(x2 + Vector256.Create(378f), x2, Vector256.Create(17325f));
        numerator = Vector256.MultiplyAddEstimate(numerator, x2, Vector256.Create(135135f)) * clamped;
        var denominator = Vector256.MultiplyAddEstimate(x2, Vector256.Create(28f), Vector256.Create(3150f));
        denominator = Vector256.MultiplyAddEstimate(denominator, x2, Vector256.Create(62370f));
        denominator = Vector256.MultiplyAddEstimate(denominator, x2, Vector256.Create(135135f));
        return numerator / denominator;
    }

    /// <summary>Σ w·x over each lane's four bytes, without an accumulator to add to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Product(Vector256<sbyte> w, Vector256<byte> magnitude, Vector256<sbyte> sign) =>
        AvxVnni.IsSupported
            ? AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, magnitude, Avx2.Sign(w, sign))
            : Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(w, sign)), Vector256<short>.One);

    /// <summary><c>sum + Σ w·x</c> over each lane's four bytes: AVX-VNNI's one instruction, or AVX2's two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Dot(Vector256<int> sum, Vector256<sbyte> w, Vector256<byte> magnitude, Vector256<sbyte> sign)
    {
        var signed = Avx2.Sign(w, sign);
        return AvxVnni.IsSupported
            ? AvxVnni.MultiplyWideningAndAdd(sum, magnitude, signed)
            : Avx2.Add(sum, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, signed), Vector256<short>.One));
    }

    /// <summary>max |values[i]| over a length that is a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MaxMagnitude(float* values, int length)
    {
        var largest = Vector256<float>.Zero;
        for (var i = 0; i < length; i += Vector256<float>.Count)
        {
            largest = Vector256.Max(largest, Vector256.Abs(Vector256.Load(values + i)));
        }

        var half = Vector128.Max(largest.GetLower(), largest.GetUpper());
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        return half.ToScalar();
    }

    /// <summary><c>q[i] = round(values[i]·scale)</c>, ties to even (cvtps2dq's rounding, as MathF.Round's), for a length that is a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(float* values, int length, float scale, sbyte* q)
    {
        var factor = Vector256.Create(scale);
        for (var i = 0; i < length; i += 2 * Vector256<float>.Count)
        {
            var low = Avx.ConvertToVector256Int32(Vector256.Load(values + i) * factor);
            var high = Avx.ConvertToVector256Int32(Vector256.Load(values + i + Vector256<float>.Count) * factor);
            Pack(low, high).Store(q + i);
        }
    }

    /// <summary>Sixteen int32 values in −127…127, in order, as bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> Pack(Vector256<int> low, Vector256<int> high) =>
        Sse2.PackSignedSaturate(
            Sse2.PackSignedSaturate(low.GetLower(), low.GetUpper()),
            Sse2.PackSignedSaturate(high.GetLower(), high.GetUpper()));

    /// <summary>The same pass without AVX2, one product at a time.</summary>
    internal static void Scalar(MlpArchitecture a, byte* unit, float* x, float* y)
    {
        var weights = (sbyte*)unit;
        var floats = (float*)(unit + Int8Quantization.WeightBytes(a));
        var largest = 0f;
        for (var d = 0; d < a.Inputs; d++)
        {
            largest = MathF.Max(largest, MathF.Abs(x[d]));
        }

        var inverse = largest == 0f ? 0f : 127f / largest;
        Span<int> xq = stackalloc int[a.Inputs];
        for (var d = 0; d < a.Inputs; d++)
        {
            xq[d] = (int)MathF.Round(x[d] * inverse, MidpointRounding.ToEven);
        }

        Span<int> aq = stackalloc int[a.Hidden];
        for (var h = 0; h < a.Hidden; h++)
        {
            var sum = 0;
            for (var d = 0; d < a.Inputs; d++)
            {
                sum += weights[Int8Quantization.W1Index(a, h, d)] * xq[d];
            }

            var pre = sum * (floats[Int8Quantization.Scale1Offset(a) + h] * (largest / 127f)) + floats[Int8Quantization.Bias1Offset(a) + h];
            aq[h] = (int)MathF.Round(MathF.Tanh(pre) * 127f, MidpointRounding.ToEven);
        }

        for (var k = 0; k < a.Outputs; k++)
        {
            var sum = 0;
            for (var h = 0; h < a.Hidden; h++)
            {
                sum += weights[Int8Quantization.W2Index(a, k, h)] * aq[h];
            }

            y[k] = sum * (floats[Int8Quantization.Scale2Offset(a) + k] * (1f / 127f)) + floats[Int8Quantization.Bias2Offset(a) + k];
        }
    }

    private static int RoundUp(int value) => (value + Block - 1) / Block * Block;
}
