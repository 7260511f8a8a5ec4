using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Galaxy.Kernels.Simd;

namespace Galaxy.Kernels;

/// <summary>
/// Measures this machine's memory read bandwidth the way the SIMD kernels read their tables (same huge-page memory,
/// every core streaming its own slice with <see cref="Vector{T}"/> adds), so kernel throughput can be stated as a
/// fraction of what the memory delivers. Keep one probe and sample it between kernel measurements: on a shared or
/// virtualised machine the bandwidth drifts, and the best sample is the honest denominator.
/// </summary>
public sealed class MemoryBandwidthProbe : IDisposable
{
    private readonly HugePageMemory<float> _buffer;

    /// <summary>Allocates and touches the buffer to stream (1 GiB by default: far beyond any cache).</summary>
    public MemoryBandwidthProbe(long bytes = 1L << 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes / sizeof(float), Array.MaxLength);
        _buffer = new HugePageMemory<float>((int)(bytes / sizeof(float)));
        _buffer.Span.Fill(1f);
    }

    /// <summary>The best bandwidth any call has measured so far, in GB/s.</summary>
    public double BestGigabytesPerSecond { get; private set; }

    /// <summary>Streams the buffer <paramref name="repeats"/> times on all cores; returns the best of them in GB/s.</summary>
    public double MeasureReadGigabytesPerSecond(int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        var cores = Environment.ProcessorCount;
        var sums = new float[cores];
        var best = 0.0;
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var stopwatch = Stopwatch.StartNew();
            var threads = new Thread[cores];
            for (var core = 0; core < cores; core++)
            {
                var part = core;
                threads[core] = new Thread(() => sums[part] = Sum(part, cores));
                threads[core].Start();
            }

            Array.ForEach(threads, thread => thread.Join());
            best = Math.Max(best, _buffer.Length * (double)sizeof(float) / stopwatch.Elapsed.TotalSeconds / 1e9);
        }

        BestGigabytesPerSecond = Math.Max(BestGigabytesPerSecond, best);
        return best;
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>Sums slice <paramref name="part"/> of <paramref name="parts"/>; four accumulators keep loads in flight.</summary>
    private float Sum(int part, int parts)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(_buffer.Span);
        var start = (int)((long)vectors.Length * part / parts);
        var end = (int)((long)vectors.Length * (part + 1) / parts);
        ref var v = ref MemoryMarshal.GetReference(vectors);
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var i = start;
        for (; i <= end - 4; i += 4)
        {
            a0 += Unsafe.Add(ref v, i);
            a1 += Unsafe.Add(ref v, i + 1);
            a2 += Unsafe.Add(ref v, i + 2);
            a3 += Unsafe.Add(ref v, i + 3);
        }

        for (; i < end; i++)
        {
            a0 += Unsafe.Add(ref v, i);
        }

        return Vector.Sum(a0 + a1 + a2 + a3);
    }
}
