namespace Galaxy.Grains;

/// <summary>
/// How a deployment rolls out (Argo Rollouts and Flagger are the model): the canary's share of the target labscapes'
/// units step by step (the last step is 100 %: the version becomes their stable one), one analysis per interval, and
/// the limits a canary must keep against them. An analysis judges only once the canary has served
/// <see cref="MinSamples"/> requests in its window, and its accuracy only once <see cref="MinFeedback"/> of its answers
/// have feedback; <see cref="FailureLimit"/> failed analyses in a row roll it back.
/// </summary>
[GenerateSerializer, Immutable, Alias("galaxy.canary-plan")]
public sealed record CanaryPlan(
    [property: Id(0)] int[] StepsPercent,
    [property: Id(1)] int IntervalSeconds,
    [property: Id(2)] int MinSamples,
    [property: Id(3)] int FailureLimit,
    [property: Id(4)] double MaxLatencyP95Ms,
    [property: Id(5)] double MaxErrorRate,
    [property: Id(6)] double MinAccuracy,
    [property: Id(7)] int MinFeedback)
{
    /// <summary>
    /// 5 % → 25 % → 100 %, analysed every 30 s on at least 100 requests (20 with feedback); the seed's p95 100 ms and
    /// accuracy 97.5 %; 1 % errors; rolled back at the first failed analysis.
    /// </summary>
    public static CanaryPlan Default { get; } = new([5, 25, 100], 30, 100, 1, 100, 0.01, 0.975, 20);

    /// <summary>Straight to every unit, once approved: no canary, no analysis.</summary>
    public bool IsImmediate => StepsPercent is [100];

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (StepsPercent is not { Length: > 0 } steps || steps[^1] != 100 || steps.Any(step => step is < 1 or > 100)
            || steps.Zip(steps.Skip(1)).Any(pair => pair.First >= pair.Second))
        {
            problems.Add("steps must rise strictly within 1…100 and end at 100.");
        }

        if (IntervalSeconds is < 1 or > 86_400)
        {
            problems.Add("intervalSeconds must lie in 1…86400.");
        }

        if (MinSamples is < 1 or > 10_000_000)
        {
            problems.Add("minSamples must lie in 1…10000000.");
        }

        if (MinFeedback is < 1 or > 10_000_000)
        {
            problems.Add("minFeedback must lie in 1…10000000.");
        }

        if (FailureLimit is < 1 or > 100)
        {
            problems.Add("failureLimit must lie in 1…100.");
        }

        if (!double.IsFinite(MaxLatencyP95Ms) || MaxLatencyP95Ms <= 0)
        {
            problems.Add("maxLatencyP95Ms must be finite and > 0.");
        }

        if (!(MaxErrorRate is >= 0 and <= 1))
        {
            problems.Add("maxErrorRate must lie in 0…1.");
        }

        if (!(MinAccuracy is >= 0 and <= 1))
        {
            problems.Add("minAccuracy must lie in 0…1.");
        }

        return problems;
    }
}
