namespace Galaxy.Grains.Tests;

/// <summary>A unit's loss curve: its latest learn steps, oldest first, at most <see cref="LearnPoint.Kept"/> of them.</summary>
public sealed class LearnHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_unit_that_has_not_learned_has_an_empty_curve()
    {
        Assert.Empty(new LearnHistory().ToArray());
    }

    [Fact]
    public void Steps_are_kept_in_order_with_their_time_loss_and_outcome()
    {
        var history = new LearnHistory();
        history.Record(Start, 0.5f, applied: true);
        history.Record(Start.AddSeconds(1), float.NaN, applied: false);

        Assert.Equal([new LearnPoint(Start, 0.5f, true), new LearnPoint(Start.AddSeconds(1), float.NaN, false)], history.ToArray());
    }

    [Fact]
    public void Only_the_latest_steps_are_kept_oldest_first()
    {
        var history = new LearnHistory();
        for (var step = 0; step < LearnPoint.Kept + 10; step++)
        {
            history.Record(Start.AddSeconds(step), step, applied: true);
        }

        var points = history.ToArray();

        Assert.Equal(LearnPoint.Kept, points.Length);
        Assert.Equal(Enumerable.Range(10, LearnPoint.Kept).Select(step => (float)step), points.Select(point => point.Loss));
        Assert.Equal(Start.AddSeconds(10), points[0].At);
    }
}
