using Galaxy.Gateway.Inference;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The answers a gateway keeps for feedback: bounded, the oldest forgotten first so that the newest, the ones feedback
/// is about to name, are always kept, and each forgotten after the retention.
/// </summary>
public sealed class InferenceLogTests
{
    [Fact]
    public void A_full_log_forgets_its_oldest_answers_and_keeps_every_new_one()
    {
        var log = new InferenceLog(TimeProvider.System, capacity: 3);
        var requests = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();

        foreach (var (request, unit) in requests.Select((request, unit) => (request, (long)unit)))
        {
            log.Remember(request, Answer(unit));
        }

        Assert.Null(log.Find(requests[0]));
        Assert.Null(log.Find(requests[1]));
        Assert.Equal([2L, 3L, 4L], requests[2..].Select(request => log.Find(request)!.UnitId));
    }

    [Fact]
    public void An_answer_is_forgotten_once_the_retention_has_passed()
    {
        var clock = new SteppedClock();
        var log = new InferenceLog(clock);
        var request = Guid.NewGuid();
        log.Remember(request, Answer(7));

        clock.Now += InferenceLog.Retention - TimeSpan.FromSeconds(1);
        Assert.Equal(7, log.Find(request)!.UnitId);
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Null(log.Find(request));
    }

    private static AnsweredInference Answer(long unit) => new(Guid.Empty, unit, new VersionRef("digits", 1), [0.5f], "3", ["3"]);

    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
