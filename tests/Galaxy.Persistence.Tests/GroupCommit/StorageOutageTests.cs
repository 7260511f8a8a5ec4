namespace Galaxy.Persistence.Tests.GroupCommit;

/// <summary>What the storage remembers of an outage, on a clock the test moves: when batches fail at once and when they try again.</summary>
public sealed class StorageOutageTests
{
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(2);

    private readonly ManualClock _clock = new();

    [Fact]
    public void Before_any_failure_batches_try_PostgreSQL()
    {
        Assert.Null(new StorageOutage(Backoff, _clock).ActiveCause());
    }

    [Fact]
    public void During_the_backoff_batches_fail_with_the_cause_and_after_it_they_try_again()
    {
        var outage = new StorageOutage(Backoff, _clock);
        var cause = new TimeoutException("no answer");
        outage.Begin(cause);

        _clock.Advance(Backoff - TimeSpan.FromTicks(1));
        Assert.Same(cause, outage.ActiveCause());

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(outage.ActiveCause());
    }

    [Fact]
    public void Only_the_first_failure_starts_an_outage_and_each_restarts_the_backoff_with_its_own_cause()
    {
        var outage = new StorageOutage(Backoff, _clock);
        var later = new TimeoutException("still no answer");

        Assert.True(outage.Begin(new TimeoutException("no answer")));
        _clock.Advance(Backoff);
        Assert.False(outage.Begin(later));

        _clock.Advance(Backoff - TimeSpan.FromTicks(1));
        Assert.Same(later, outage.ActiveCause());
    }

    [Fact]
    public void A_success_ends_the_outage_once()
    {
        var outage = new StorageOutage(Backoff, _clock);
        outage.Begin(new TimeoutException("no answer"));

        Assert.True(outage.End());
        Assert.Null(outage.ActiveCause());
        Assert.False(outage.End());
        Assert.True(outage.Begin(new TimeoutException("no answer again")));
    }
}
