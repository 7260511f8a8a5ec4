namespace Galaxy.Kernels;

/// <summary>
/// Groups a learn batch's rows by unit so that duplicates of a slot run one after another, in batch order, inside
/// one launch: <see cref="Order"/> lists the row indices unit by unit (units in order of first appearance) and
/// segment s covers <c>Order[SegmentStarts[s] … SegmentStarts[s+1])</c>. One GPU group (or one CPU loop) walks a
/// segment; segments are independent. O(rows), and it allocates only when built.
/// </summary>
internal sealed class LearnSchedule
{
    private readonly int[] _firstRowOfSlot;
    private readonly int[] _lastRowOfSlot;
    private readonly int[] _nextRowOfSameSlot;

    public LearnSchedule(int units, int maxRows)
    {
        _firstRowOfSlot = new int[units];
        _firstRowOfSlot.AsSpan().Fill(-1);
        _lastRowOfSlot = new int[units];
        _nextRowOfSameSlot = new int[maxRows];
        Order = new int[maxRows];
        SegmentStarts = new int[maxRows + 1];
    }

    public int[] Order { get; }

    public int[] SegmentStarts { get; }

    public int SegmentCount { get; private set; }

    public void Build(ReadOnlySpan<int> slots)
    {
        for (var row = 0; row < slots.Length; row++)
        {
            var slot = slots[row];
            _nextRowOfSameSlot[row] = -1;
            if (_firstRowOfSlot[slot] < 0)
            {
                _firstRowOfSlot[slot] = row;
            }
            else
            {
                _nextRowOfSameSlot[_lastRowOfSlot[slot]] = row;
            }

            _lastRowOfSlot[slot] = row;
        }

        var written = 0;
        SegmentCount = 0;
        for (var row = 0; row < slots.Length; row++)
        {
            if (_firstRowOfSlot[slots[row]] != row)
            {
                continue;
            }

            SegmentStarts[SegmentCount++] = written;
            for (var r = row; r >= 0; r = _nextRowOfSameSlot[r])
            {
                Order[written++] = r;
            }
        }

        SegmentStarts[SegmentCount] = written;
        foreach (var slot in slots)
        {
            _firstRowOfSlot[slot] = -1;
        }
    }
}
