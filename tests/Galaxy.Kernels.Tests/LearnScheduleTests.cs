using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

public sealed class LearnScheduleTests
{
    [Fact]
    public void Rows_are_grouped_by_unit_in_order_of_first_appearance_keeping_batch_order_within_a_unit()
    {
        var schedule = new LearnSchedule(units: 4, maxRows: 8);

        schedule.Build([3, 1, 3, 2, 1, 3]);

        Assert.Equal(3, schedule.SegmentCount);
        Assert.Equal([0, 2, 5, 1, 4, 3], schedule.Order[..6]);
        Assert.Equal([0, 3, 5, 6], schedule.SegmentStarts[..4]);
    }

    [Fact]
    public void A_schedule_is_reusable_across_batches()
    {
        var schedule = new LearnSchedule(units: 4, maxRows: 8);
        schedule.Build([0, 0, 1]);

        schedule.Build([1, 0]);

        Assert.Equal(2, schedule.SegmentCount);
        Assert.Equal([0, 1], schedule.Order[..2]);
        Assert.Equal([0, 1, 2], schedule.SegmentStarts[..3]);
    }
}
