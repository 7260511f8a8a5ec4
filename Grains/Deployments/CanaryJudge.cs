using System.Globalization;

namespace Galaxy.Grains.Deployments;

/// <summary>
/// A canary analysis: the canary's window against the plan's limits (latency p95, error rate, and, with enough
/// feedback, accuracy) and against the stable version's accuracy (no more than <see cref="AccuracyMargin"/> below it).
/// </summary>
internal static class CanaryJudge
{
    public const double AccuracyMargin = 0.02;

    /// <summary>
    /// One analysis of the canary's window: wait for <see cref="CanaryPlan.MinSamples"/> canary requests (unless an alert
    /// on the canary, <paramref name="alarm"/>, cuts the wait short and counts as a failure), then pass within every
    /// limit, or fail; the failure that makes <see cref="CanaryPlan.FailureLimit"/> in a row rolls the canary back.
    /// </summary>
    /// <param name="failedInARow">Failed analyses in a row before this one.</param>
    public static CanaryJudgement Judge(CanaryPlan plan, VersionFigures canary, VersionFigures stable, string? alarm, int failedInARow)
    {
        if (alarm is null && canary.Requests < plan.MinSamples)
        {
            return new CanaryJudgement(CanaryVerdict.Wait, [], failedInARow);
        }

        var failures = Failures(plan, canary, stable);
        if (alarm is not null)
        {
            failures.Insert(0, alarm);
        }

        if (failures.Count == 0)
        {
            return new CanaryJudgement(CanaryVerdict.Pass, failures, 0);
        }

        var failed = failedInARow + 1;
        return new CanaryJudgement(failed >= plan.FailureLimit ? CanaryVerdict.RollBack : CanaryVerdict.Fail, failures, failed);
    }

    /// <summary>What breaks the plan's limits in the canary's window, compared with the stable version's.</summary>
    public static List<string> Failures(CanaryPlan plan, VersionFigures canary, VersionFigures stable)
    {
        var failures = new List<string>();
        if (canary.LatencyP95Ms > plan.MaxLatencyP95Ms)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"latency p95 {canary.LatencyP95Ms:F1} ms over {plan.MaxLatencyP95Ms} ms"));
        }

        if (canary.ErrorRate > plan.MaxErrorRate)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"error rate {canary.ErrorRate:P2} over {plan.MaxErrorRate:P2}"));
        }

        if (canary.Feedback >= plan.MinFeedback && canary.Accuracy is { } accuracy)
        {
            if (accuracy < plan.MinAccuracy)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy {accuracy:P2} below {plan.MinAccuracy:P2} on {canary.Feedback} answers"));
            }
            else if (stable.Feedback >= plan.MinFeedback && stable.Accuracy is { } stableAccuracy && accuracy < stableAccuracy - AccuracyMargin)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy {accuracy:P2} more than {AccuracyMargin:P0} below the stable version's {stableAccuracy:P2}"));
            }
        }

        return failures;
    }

    public static string Describe(CanaryAnalysis analysis) => string.Create(
        CultureInfo.InvariantCulture,
        $"at {analysis.StepPercent} %: canary {analysis.Canary.Requests} requests, p95 {analysis.Canary.LatencyP95Ms:F1} ms, " +
        $"errors {analysis.Canary.ErrorRate:P2}, accuracy {Accuracy(analysis.Canary)}; stable {analysis.Stable.Requests} requests, " +
        $"p95 {analysis.Stable.LatencyP95Ms:F1} ms, accuracy {Accuracy(analysis.Stable)}: {analysis.Verdict}");

    private static string Accuracy(VersionFigures figures) =>
        figures.Accuracy is { } accuracy ? string.Create(CultureInfo.InvariantCulture, $"{accuracy:P2} of {figures.Feedback}") : "no feedback";
}

/// <summary>What one analysis of a canary's window decides.</summary>
internal enum CanaryVerdict
{
    /// <summary>Too few canary requests to judge: the window stays open another interval.</summary>
    Wait,

    /// <summary>Within every limit: the rollout goes on.</summary>
    Pass,

    /// <summary>Outside a limit, with failures to spare: judged again at the next interval.</summary>
    Fail,

    /// <summary>The plan's limit of failed analyses in a row is reached: the canary is rolled back.</summary>
    RollBack,
}

/// <summary>An analysis's verdict, the limits it found broken, and the failed analyses in a row after it.</summary>
internal sealed record CanaryJudgement(CanaryVerdict Verdict, IReadOnlyList<string> Failures, int FailedInARow);
