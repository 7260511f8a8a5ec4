namespace Galaxy.Grains.Tests.Contracts;

/// <summary>A version's cumulative figures: added across silos, windowed by difference, and read as rates.</summary>
public sealed class VersionFiguresTests
{
    [Fact]
    public void Figures_from_two_places_add_up_bucket_by_bucket()
    {
        var here = Figures(requests: 10, errors: 1, latencyMs: 2, feedback: 4, correct: 3);
        var there = Figures(requests: 30, errors: 3, latencyMs: 200, feedback: 6, correct: 6);

        var both = here.Plus(there);

        Assert.Equal((40L, 4L, 10L, 9L), (both.Requests, both.Errors, both.Feedback, both.Correct));
        Assert.Equal(40, both.LatencyBuckets.Sum());
        Assert.Equal(0.1, both.ErrorRate);
        Assert.Equal(0.9, both.Accuracy);
        Assert.InRange(both.LatencyP95Ms, 200, 218);
    }

    [Fact]
    public void A_window_is_what_happened_since_its_start()
    {
        var start = Figures(requests: 10, errors: 1, latencyMs: 2, feedback: 4, correct: 3);
        var now = start.Plus(Figures(requests: 5, errors: 0, latencyMs: 300, feedback: 2, correct: 1));

        var window = now.Since(start);

        Assert.Equal((5L, 0L, 2L, 1L), (window.Requests, window.Errors, window.Feedback, window.Correct));
        Assert.InRange(window.LatencyP95Ms, 300, 327);
    }

    [Fact]
    public void Figures_that_started_over_count_whole_as_the_window()
    {
        var start = Figures(requests: 10, errors: 1, latencyMs: 2, feedback: 4, correct: 3);
        var restarted = Figures(requests: 3, errors: 0, latencyMs: 2, feedback: 0, correct: 0);

        Assert.Same(restarted, restarted.Since(start));
    }

    [Fact]
    public void Without_requests_or_feedback_there_is_no_rate_to_read()
    {
        Assert.Equal(0, VersionFigures.Empty.ErrorRate);
        Assert.Null(VersionFigures.Empty.Accuracy);
        Assert.Equal(0, VersionFigures.Empty.LatencyP95Ms);
    }

    private static VersionFigures Figures(long requests, long errors, double latencyMs, long feedback, long correct)
    {
        var latency = new LatencyHistogram();
        for (var i = 0; i < requests; i++)
        {
            latency.Record(latencyMs);
        }

        return new VersionFigures(requests, errors, latency.Counts(), feedback, correct);
    }
}
