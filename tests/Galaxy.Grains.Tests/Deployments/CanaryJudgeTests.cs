using Galaxy.Grains.Deployments;

namespace Galaxy.Grains.Tests.Deployments;

/// <summary>
/// A canary analysis from figures: what breaks the plan's limits (latency, errors, accuracy against the plan and against
/// the stable version), and what is not judged until there is feedback enough.
/// </summary>
public sealed class CanaryJudgeTests
{
    // p95 100 ms, 1 % errors, accuracy 97.5 % judged on at least 20 answers with feedback.
    private static readonly CanaryPlan Plan = CanaryPlan.Default;

    [Fact]
    public void A_window_with_fewer_canary_requests_than_the_plan_asks_waits_however_bad_they_look()
    {
        var canary = Figures(requests: 99, errors: 99, latencyMs: 5_000, feedback: 0, correct: 0);

        var judgement = CanaryJudge.Judge(Plan, canary, Figures(500, 0, 20, 0, 0), alarm: null, failedInARow: 2);

        Assert.Equal(CanaryVerdict.Wait, judgement.Verdict);
        Assert.Empty(judgement.Failures);
        Assert.Equal(2, judgement.FailedInARow);
    }

    [Fact]
    public void A_window_with_samples_enough_within_every_limit_passes_and_clears_earlier_failures()
    {
        var canary = Figures(requests: 100, errors: 0, latencyMs: 20, feedback: 0, correct: 0);

        var judgement = CanaryJudge.Judge(Plan with { FailureLimit = 3 }, canary, Figures(500, 0, 20, 0, 0), alarm: null, failedInARow: 2);

        Assert.Equal(CanaryVerdict.Pass, judgement.Verdict);
        Assert.Empty(judgement.Failures);
        Assert.Equal(0, judgement.FailedInARow);
    }

    [Fact]
    public void A_failure_below_the_plans_limit_is_counted_and_judged_again()
    {
        var canary = Figures(requests: 100, errors: 10, latencyMs: 20, feedback: 0, correct: 0);

        var judgement = CanaryJudge.Judge(Plan with { FailureLimit = 3 }, canary, Figures(500, 0, 20, 0, 0), alarm: null, failedInARow: 1);

        Assert.Equal(CanaryVerdict.Fail, judgement.Verdict);
        Assert.Equal(2, judgement.FailedInARow);
        Assert.Equal(new[] { "error rate 10.00 % over 1.00 % (at least 5.5 % at 95 % confidence)" }, judgement.Failures);
    }

    [Fact]
    public void The_failure_that_reaches_the_plans_limit_rolls_the_canary_back()
    {
        var canary = Figures(requests: 100, errors: 10, latencyMs: 20, feedback: 0, correct: 0);

        var judgement = CanaryJudge.Judge(Plan with { FailureLimit = 3 }, canary, Figures(500, 0, 20, 0, 0), alarm: null, failedInARow: 2);

        Assert.Equal(CanaryVerdict.RollBack, judgement.Verdict);
        Assert.Equal(3, judgement.FailedInARow);
    }

    [Fact]
    public void An_alert_on_the_canary_fails_the_window_at_once_named_first()
    {
        var canary = Figures(requests: 3, errors: 0, latencyMs: 20, feedback: 0, correct: 0);

        var judgement = CanaryJudge.Judge(Plan, canary, Figures(500, 0, 20, 0, 0), "alert 7 on the canary: latency p95 high", failedInARow: 0);

        // The default plan rolls back at the first failed analysis.
        Assert.Equal(CanaryVerdict.RollBack, judgement.Verdict);
        Assert.Equal(new[] { "alert 7 on the canary: latency p95 high" }, judgement.Failures);
    }

    [Fact]
    public void An_alert_comes_before_the_limits_the_window_broke()
    {
        var canary = Figures(requests: 100, errors: 10, latencyMs: 20, feedback: 0, correct: 0);

        var judgement = CanaryJudge.Judge(Plan, canary, Figures(500, 0, 20, 0, 0), "alert 7 on the canary: errors", failedInARow: 0);

        Assert.Equal(new[] { "alert 7 on the canary: errors", "error rate 10.00 % over 1.00 % (at least 5.5 % at 95 % confidence)" }, judgement.Failures);
    }

    [Fact]
    public void A_canary_within_every_limit_has_no_failures()
    {
        var canary = Figures(requests: 200, errors: 1, latencyMs: 20, feedback: 40, correct: 40);
        var stable = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 40, correct: 40);

        Assert.Empty(CanaryJudge.Failures(Plan, canary, stable));
    }

    [Fact]
    public void A_slow_canary_fails_on_latency_naming_its_p95_and_the_limit()
    {
        var canary = Figures(requests: 200, errors: 0, latencyMs: 150, feedback: 0, correct: 0);

        var failure = Assert.Single(CanaryJudge.Failures(Plan, canary, Figures(200, 0, 20, 0, 0)));

        Assert.Equal($"latency p95 {canary.LatencyP95Ms.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} ms over 100 ms", failure);
        Assert.InRange(canary.LatencyP95Ms, 150, 150 * 1.09);
    }

    [Fact]
    public void A_canary_with_too_many_errors_fails_on_its_error_rate()
    {
        var canary = Figures(requests: 200, errors: 10, latencyMs: 20, feedback: 0, correct: 0);

        var failure = Assert.Single(CanaryJudge.Failures(Plan, canary, Figures(200, 0, 20, 0, 0)));

        Assert.Equal("error rate 5.00 % over 1.00 % (at least 2.7 % at 95 % confidence)", failure);
    }

    [Fact]
    public void A_canary_below_the_plans_accuracy_fails_once_it_has_feedback_enough()
    {
        var canary = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 20, correct: 18);

        var failure = Assert.Single(CanaryJudge.Failures(Plan, canary, Figures(200, 0, 20, 0, 0)));

        Assert.Equal("accuracy 90.00 % below 97.50 % on 20 answers (at most 97.2 % at 95 % confidence)", failure);
    }

    [Fact]
    public void Two_wrong_answers_in_fifty_are_not_enough_to_say_the_canary_is_below_the_plans_accuracy()
    {
        var canary = Figures(requests: 50, errors: 0, latencyMs: 20, feedback: 50, correct: 48);

        Assert.Equal(0.96, canary.Accuracy);
        Assert.Empty(CanaryJudge.Failures(Plan, canary, Figures(200, 0, 20, 0, 0)));
    }

    [Fact]
    public void One_error_in_fifty_requests_is_not_enough_to_say_the_canary_errs_more_than_the_plan_allows()
    {
        var canary = Figures(requests: 50, errors: 1, latencyMs: 20, feedback: 0, correct: 0);

        Assert.Equal(0.02, canary.ErrorRate);
        Assert.Empty(CanaryJudge.Failures(Plan, canary, Figures(200, 0, 20, 0, 0)));
    }

    [Theory]
    [InlineData(18, 20, 0.6990, 0.9721)]
    [InlineData(10, 200, 0.0274, 0.0896)]
    [InlineData(0, 50, 0.0, 0.0713)]
    [InlineData(99, 99, 0.9626, 1.0)]
    public void The_interval_is_wilsons_at_95_percent(long hits, long trials, double lower, double upper)
    {
        var interval = CanaryJudge.Wilson(hits, trials);

        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
    }

    [Fact]
    public void A_proportion_of_nothing_could_be_anything()
    {
        Assert.Equal((0.0, 1.0), CanaryJudge.Wilson(0, 0));
    }

    [Fact]
    public void Accuracy_is_not_judged_on_less_feedback_than_the_plan_asks()
    {
        var canary = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 19, correct: 0);
        var stable = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 100, correct: 100);

        Assert.Empty(CanaryJudge.Failures(Plan, canary, stable));
    }

    [Fact]
    public void A_canary_more_than_the_margin_below_the_stable_versions_accuracy_fails()
    {
        var canary = Figures(requests: 2000, errors: 0, latencyMs: 20, feedback: 1000, correct: 950);
        var stable = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 100, correct: 100);

        var failure = Assert.Single(CanaryJudge.Failures(Plan with { MinAccuracy = 0.9 }, canary, stable));

        Assert.Equal("accuracy 95.00 % more than 2 % below the stable version's 100.00 % (at most 96.2 % at 95 % confidence)", failure);
    }

    [Fact]
    public void A_canary_within_the_margin_of_the_stable_versions_accuracy_passes()
    {
        var canary = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 100, correct: 99);
        var stable = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 100, correct: 100);

        Assert.Empty(CanaryJudge.Failures(Plan with { MinAccuracy = 0.9 }, canary, stable));
    }

    [Fact]
    public void The_stable_versions_accuracy_counts_only_with_feedback_enough()
    {
        var canary = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 100, correct: 91);
        var stable = Figures(requests: 200, errors: 0, latencyMs: 20, feedback: 19, correct: 19);

        Assert.Empty(CanaryJudge.Failures(Plan with { MinAccuracy = 0.9 }, canary, stable));
    }

    [Fact]
    public void Every_broken_limit_is_named_latency_then_errors_then_accuracy()
    {
        var canary = Figures(requests: 100, errors: 50, latencyMs: 500, feedback: 50, correct: 25);

        var failures = CanaryJudge.Failures(Plan, canary, Figures(100, 0, 20, 50, 50));

        Assert.Collection(
            failures,
            latency => Assert.StartsWith("latency p95 ", latency, StringComparison.Ordinal),
            errors => Assert.Equal("error rate 50.00 % over 1.00 % (at least 40.4 % at 95 % confidence)", errors),
            accuracy => Assert.Equal("accuracy 50.00 % below 97.50 % on 50 answers (at most 63.4 % at 95 % confidence)", accuracy));
    }

    [Fact]
    public void An_analysis_is_described_with_both_versions_figures_and_its_verdict()
    {
        var canary = Figures(requests: 120, errors: 0, latencyMs: 1, feedback: 20, correct: 19);
        var stable = Figures(requests: 880, errors: 0, latencyMs: 1, feedback: 0, correct: 0);
        var analysis = new CanaryAnalysis(25, DateTimeOffset.UnixEpoch, "digits:4", canary, "digits:3", stable, true, "within every limit");

        var described = CanaryJudge.Describe(analysis);

        var p95 = canary.LatencyP95Ms.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"at 25 %: canary 120 requests, p95 {p95} ms, errors 0.00 %, accuracy 95.00 % of 20; stable 880 requests, p95 {p95} ms, accuracy no feedback: within every limit",
            described);
    }

    /// <summary>A window's figures, every request <paramref name="latencyMs"/> long.</summary>
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
