using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Galaxy.Kernels.Simd;

/// <summary>
/// Software prefetch of a unit's weights a few rows ahead. A batch visits units in slot order, which is random in
/// memory: the hardware prefetcher cannot guess the next unit, so without this every unit starts with a full DRAM
/// miss. The tick streams units in order, where this still keeps more misses in flight than the hardware alone.
/// </summary>
// Stryker disable all : prefetch hints, which no result depends on
internal static unsafe class UnitPrefetch
{
    /// <summary>How many rows ahead to prefetch: enough to cover DRAM latency at ~50 ns of compute per row.</summary>
    public const int Distance = 8;

    /// <summary>Units larger than this (floats) stream well within themselves; prefetching them whole would only evict.</summary>
    private const int MaxFloats = 4096;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unit(float* unit, int floats) => Bytes((byte*)unit, floats * sizeof(float));

    /// <summary>The cache lines of <paramref name="length"/> bytes at <paramref name="start"/> (an int8 unit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Bytes(byte* start, int length)
    {
        if (!Sse.IsSupported || length > MaxFloats * sizeof(float))
        {
            return;
        }

        for (var offset = 0; offset < length; offset += 64)
        {
            Sse.Prefetch0(start + offset);
        }
    }
}
