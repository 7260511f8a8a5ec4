namespace Galaxy.Grains.Tests.Contracts;

/// <summary>A deployment's plan is checked before anything serves: each bad figure is refused with its own reason.</summary>
public sealed class CanaryPlanTests
{
    private const string Steps = "steps must rise strictly within 1…100 and end at 100.";

    [Fact]
    public void The_default_plan_is_valid_and_rolls_out_in_steps()
    {
        Assert.Empty(CanaryPlan.Default.Problems());
        Assert.False(CanaryPlan.Default.IsImmediate);
    }

    [Fact]
    public void A_single_step_to_every_unit_is_an_immediate_rollout()
    {
        var plan = CanaryPlan.Default with { StepsPercent = [100] };

        Assert.Empty(plan.Problems());
        Assert.True(plan.IsImmediate);
    }

    public static TheoryData<int[]?> BadSteps() => new()
    {
        null,
        Array.Empty<int>(),
        new[] { 5, 50 },
        new[] { 0, 100 },
        new[] { 50, 101 },
        new[] { 50, 50, 100 },
        new[] { 50, 25, 100 },
    };

    [Theory]
    [MemberData(nameof(BadSteps))]
    public void Steps_that_do_not_rise_strictly_to_100_are_refused(int[]? steps)
    {
        var plan = CanaryPlan.Default with { StepsPercent = steps! };

        Assert.Equal(new[] { Steps }, plan.Problems());
    }

    public static TheoryData<CanaryPlan, string> BadFigures() => new()
    {
        { CanaryPlan.Default with { IntervalSeconds = 0 }, "intervalSeconds must lie in 1…86400." },
        { CanaryPlan.Default with { IntervalSeconds = 86_401 }, "intervalSeconds must lie in 1…86400." },
        { CanaryPlan.Default with { MinSamples = 0 }, "minSamples must lie in 1…10000000." },
        { CanaryPlan.Default with { MinSamples = 10_000_001 }, "minSamples must lie in 1…10000000." },
        { CanaryPlan.Default with { MinFeedback = 0 }, "minFeedback must lie in 1…10000000." },
        { CanaryPlan.Default with { FailureLimit = 0 }, "failureLimit must lie in 1…100." },
        { CanaryPlan.Default with { FailureLimit = 101 }, "failureLimit must lie in 1…100." },
        { CanaryPlan.Default with { MaxLatencyP95Ms = 0 }, "maxLatencyP95Ms must be finite and > 0." },
        { CanaryPlan.Default with { MaxLatencyP95Ms = double.PositiveInfinity }, "maxLatencyP95Ms must be finite and > 0." },
        { CanaryPlan.Default with { MaxErrorRate = -0.01 }, "maxErrorRate must lie in 0…1." },
        { CanaryPlan.Default with { MaxErrorRate = double.NaN }, "maxErrorRate must lie in 0…1." },
        { CanaryPlan.Default with { MinAccuracy = 1.5 }, "minAccuracy must lie in 0…1." },
    };

    [Theory]
    [MemberData(nameof(BadFigures))]
    public void A_figure_out_of_range_is_refused_with_its_own_reason(CanaryPlan plan, string problem)
    {
        Assert.Equal(new[] { problem }, plan.Problems());
    }

    [Fact]
    public void Every_problem_of_a_plan_is_reported_at_once()
    {
        var plan = new CanaryPlan([], 0, 0, 0, -1, 2, -1, 0);

        Assert.Equal(8, plan.Problems().Count);
    }
}
