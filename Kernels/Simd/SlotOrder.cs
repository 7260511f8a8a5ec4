namespace Galaxy.Kernels.Simd;

/// <summary>
/// A batch's rows sorted by slot (a stable counting sort, O(rows + units), no allocation), so a forward batch walks
/// the table upwards like the tick does: the hardware prefetcher and the TLB see a stream instead of random jumps.
/// </summary>
internal sealed class SlotOrder(int units, int maxRows)
{
    /// <summary>Below this many rows the sort costs more than the locality it buys.</summary>
    public const int MinRows = 256;

    private readonly int[] _firstRowIndexOfSlot = new int[units + 1];
    /// <summary>After <see cref="Sort"/>: the batch's row indices in ascending slot order (ties in batch order).</summary>
    public int[] Rows { get; } = new int[maxRows];

    public void Sort(ReadOnlySpan<int> slots)
    {
        var starts = _firstRowIndexOfSlot.AsSpan();
        starts.Clear();
        foreach (var slot in slots)
        {
            starts[slot + 1]++;
        }

        for (var s = 1; s < starts.Length; s++)
        {
            starts[s] += starts[s - 1];
        }

        for (var row = 0; row < slots.Length; row++)
        {
            Rows[starts[slots[row]]++] = row;
        }
    }
}
