namespace Galaxy.Grains;

/// <summary>
/// A unit's latest learn steps, oldest first, for its loss curve: a ring of <see cref="LearnPoint.Kept"/> 16-byte
/// entries, made at the unit's first learn. Most of a million units never learn and pay one null reference; one that
/// does pays about 1 KB, where a queue of records cost about 60 bytes a step and 12 KB for 200 of them.
/// </summary>
internal sealed class LearnHistory
{
    private readonly Entry[] _entries = new Entry[LearnPoint.Kept];
    private int _next;
    private int _count;

    public void Record(DateTimeOffset at, float loss, bool applied)
    {
        _entries[_next] = new Entry(at.UtcTicks, loss, applied);
        _next = (_next + 1) % _entries.Length;
        _count = Math.Min(_count + 1, _entries.Length);
    }

    public LearnPoint[] ToArray()
    {
        var points = new LearnPoint[_count];
        var oldest = (_next - _count + _entries.Length) % _entries.Length;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries[(oldest + i) % _entries.Length];
            points[i] = new LearnPoint(new DateTimeOffset(entry.UtcTicks, TimeSpan.Zero), entry.Loss, entry.Applied);
        }

        return points;
    }

    private readonly record struct Entry(long UtcTicks, float Loss, bool Applied);
}
