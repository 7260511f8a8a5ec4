using Galaxy.Kernels.Simd;

namespace Galaxy.Kernels.Tests;

/// <summary>The SIMD tables' native memory: zeroed when made, aligned to a huge page, and freed exactly once.</summary>
public sealed unsafe class HugePageMemoryTests
{
    [Theory]
    [InlineData(1_000)] // less than a huge page
    [InlineData(1 << 20)] // 4 MB: advised to huge pages where Linux allows
    public void Memory_starts_zeroed_on_a_huge_page_boundary_and_is_freed_once(int length)
    {
        var memory = new HugePageMemory<float>(length);
        Assert.Equal(length, memory.Span.Length);
        Assert.Equal(-1, memory.Span.IndexOfAnyExcept(0f));
        Assert.Equal(0, (nint)memory.Pointer % (2 << 20));
        memory.Span.Fill(1f);

        memory.Dispose();
        Assert.True(memory.Pointer == null);
        memory.Dispose();
        Assert.True(memory.Pointer == null);
    }
}
