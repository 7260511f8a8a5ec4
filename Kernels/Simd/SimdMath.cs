using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Galaxy.Kernels.Simd;

/// <summary>
/// Dense float32 math at our rows' sizes (≤ 256, often 16). TensorPrimitives' call and dispatch overhead is as large
/// as the arithmetic at this length (its Tanh costs ~45 ns for 16 values here), so these are inlined Vector256 loops.
/// </summary>
internal static class SimdMath
{
    /// <summary><c>result[r] = bias[r] + Σ_c matrix[r·C + c]·x[c]</c> for a row-major matrix of result.Length rows, C = x.Length.</summary>
    /// <remarks>
    /// Four rows at a time, so one horizontal-add tree reduces four accumulators at once instead of one sum per row:
    /// that halves the cost of a 16×16 layer.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MatVec(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> result)
    {
        var rows = result.Length;
        var columns = x.Length;
        var r = 0;
        if (Avx.IsSupported && columns >= Vector256<float>.Count)
        {
            ref var m = ref MemoryMarshal.GetReference(matrix);
            ref var xs = ref MemoryMarshal.GetReference(x);
            var vectorColumns = columns & ~(Vector256<float>.Count - 1);
            for (; r <= rows - 4; r += 4)
            {
                ref var row0 = ref Unsafe.Add(ref m, r * columns);
                ref var row1 = ref Unsafe.Add(ref row0, columns);
                ref var row2 = ref Unsafe.Add(ref row1, columns);
                ref var row3 = ref Unsafe.Add(ref row2, columns);
                Vector256<float> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
                for (var c = 0; c < vectorColumns; c += Vector256<float>.Count)
                {
                    var xv = Vector256.LoadUnsafe(ref xs, (nuint)c);
                    acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row0, (nuint)c), xv, acc0);
                    acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row1, (nuint)c), xv, acc1);
                    acc2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row2, (nuint)c), xv, acc2);
                    acc3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row3, (nuint)c), xv, acc3);
                }

                var pairs = Avx.HorizontalAdd(Avx.HorizontalAdd(acc0, acc1), Avx.HorizontalAdd(acc2, acc3));
                var sums = pairs.GetLower() + pairs.GetUpper();
                if (!bias.IsEmpty)
                {
                    sums += Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(bias), (nuint)r);
                }

                sums.StoreUnsafe(ref MemoryMarshal.GetReference(result), (nuint)r);
                for (var c = vectorColumns; c < columns; c++)
                {
                    var xc = Unsafe.Add(ref xs, c);
                    result[r] += Unsafe.Add(ref row0, c) * xc;
                    result[r + 1] += Unsafe.Add(ref row1, c) * xc;
                    result[r + 2] += Unsafe.Add(ref row2, c) * xc;
                    result[r + 3] += Unsafe.Add(ref row3, c) * xc;
                }
            }
        }

        for (; r < rows; r++)
        {
            result[r] = (bias.IsEmpty ? 0f : bias[r]) + Dot(matrix.Slice(r * columns, columns), x);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b);
        var length = a.Length;
        var i = 0;
        var sum = 0f;
        if (length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref left, (nuint)i), Vector256.LoadUnsafe(ref right, (nuint)i), acc);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref left, i) * Unsafe.Add(ref right, i);
        }

        return sum;
    }

    /// <summary>tanh in place, eight lanes at a time (<see cref="Tanh(Vector256{float})"/>), the tail with MathF.Tanh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tanh(Span<float> values)
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var i = 0;
        for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            Tanh(Vector256.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref v, (nuint)i);
        }

        for (; i < values.Length; i++)
        {
            values[i] = MathF.Tanh(values[i]);
        }
    }

    /// <summary>
    /// tanh as a 13/6-degree rational minimax approximation on [−7.9, 7.9] (the one Eigen uses; beyond that range
    /// float tanh is ±1), |error| &lt; 3e-7 against double. Ten FMAs and a division instead of an exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var limit = Vector256.Create(7.90531110763549805f);
        var clamped = Vector256.Min(Vector256.Max(x, -limit), limit);
        var x2 = clamped * clamped;
        var p = Vector256.MultiplyAddEstimate(x2, Vector256.Create(-2.76076847742355e-16f), Vector256.Create(2.00018790482477e-13f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(-8.60467152213735e-11f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(5.12229709037114e-08f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(1.48572235717979e-05f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(6.37261928875436e-04f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(4.89352455891786e-03f));
        var q = Vector256.MultiplyAddEstimate(x2, Vector256.Create(1.19825839466702e-06f), Vector256.Create(1.18534705686654e-04f));
        q = Vector256.MultiplyAddEstimate(q, x2, Vector256.Create(2.26843463243900e-03f));
        q = Vector256.MultiplyAddEstimate(q, x2, Vector256.Create(4.89352518554385e-03f));

        // Near zero the ratio loses relative accuracy, and tanh(x) = x to float precision there.
        var tiny = Vector256.LessThan(Vector256.Abs(x), Vector256.Create(0.0004f));
        return Vector256.ConditionalSelect(tiny, x, clamped * p / q);
    }
}
