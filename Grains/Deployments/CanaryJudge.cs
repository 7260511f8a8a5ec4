using System.Globalization;

namespace Galaxy.Grains.Deployments;

/// <summary>
/// A canary analysis: the canary's window against the plan's limits (latency p95, error rate, and, with enough
/// feedback, accuracy) and against the stable version's accuracy (no more than <see cref="AccuracyMargin"/> below it).
/// </summary>
/// <remarks>
/// Error rate and accuracy are proportions of a window of a few dozen requests, so each breaks its limit only when it
/// does so at 95 % confidence (the Wilson score interval): two unlucky answers of fifty do not roll back a good version,
/// while a version that is clearly worse fails on as little feedback as the plan asks for.
/// </remarks>
internal static class CanaryJudge
{
    public const double AccuracyMargin = 0.02;

    /// <summary>The normal quantile of a two-sided 95 % interval.</summary>
    private const double Z = 1.959964;

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

        var (errorsAtLeast, _) = Wilson(canary.Errors, canary.Requests);
        if (errorsAtLeast > plan.MaxErrorRate)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture, $"error rate {canary.ErrorRate:P2} over {plan.MaxErrorRate:P2} (at least {errorsAtLeast:P1} at 95 % confidence)"));
        }

        if (canary.Feedback >= plan.MinFeedback && canary.Accuracy is { } accuracy)
        {
            var (_, accuracyAtMost) = Wilson(canary.Correct, canary.Feedback);
            if (accuracyAtMost < plan.MinAccuracy)
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"accuracy {accuracy:P2} below {plan.MinAccuracy:P2} on {canary.Feedback} answers (at most {accuracyAtMost:P1} at 95 % confidence)"));
            }
            else if (stable.Feedback >= plan.MinFeedback && stable.Accuracy is { } stableAccuracy && accuracyAtMost < stableAccuracy - AccuracyMargin)
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"accuracy {accuracy:P2} more than {AccuracyMargin:P0} below the stable version's {stableAccuracy:P2} (at most {accuracyAtMost:P1} at 95 % confidence)"));
            }
        }

        return failures;
    }

    /// <summary>The Wilson score interval at 95 % of a proportion, <paramref name="hits"/> of <paramref name="trials"/>.</summary>
    internal static (double Lower, double Upper) Wilson(long hits, long trials)
    {
        if (trials == 0)
        {
            return (0, 1);
        }

        var (n, p) = ((double)trials, (double)hits / trials);
        var scale = 1 + Z * Z / n;
        var centre = (p + Z * Z / (2 * n)) / scale;
        var half = Z * Math.Sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / scale;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
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
