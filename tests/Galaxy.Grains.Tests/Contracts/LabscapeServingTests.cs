namespace Galaxy.Grains.Tests.Contracts;

/// <summary>Which units a canary serves: its share of the labscape's units rounded up, picked by the deployment, growing without moving units back.</summary>
public sealed class LabscapeServingTests
{
    private static readonly ServedVersion Stable = new(Guid.Empty, "digits", 3, new ModelShape(4, 3, 2), LossFunction.CrossEntropy, ["a", "b"]);
    private static readonly ServedVersion Canary = Stable with { Version = 4 };

    [Fact]
    public void Versions_and_the_initial_model_are_named_by_their_keys()
    {
        Assert.Equal("digits:3", Stable.Key);
        Assert.Equal("digits:3", new LabscapeServing(Stable, null, 0, "d").StableKey);
        Assert.Equal(LabscapeServing.InitialVersion, LabscapeServing.Initial.StableKey);
    }

    [Theory]
    [InlineData(2_500, 4_096, 1_024)]
    [InlineData(2_500, 8, 2)]
    [InlineData(100, 4_096, 41)]
    [InlineData(1, 8, 1)]
    [InlineData(10_000, 8, 8)]
    public void A_canary_serves_its_share_of_a_labscapes_units_rounded_up(int basisPoints, int units, int served)
    {
        var serving = new LabscapeServing(Stable, Canary, basisPoints, "deploy-1");

        Assert.Equal(served, serving.CanarySlots(4_096, units).Count(onCanary => onCanary));
    }

    [Fact]
    public void Every_deployment_reaches_some_unit_of_a_small_labscape()
    {
        // Drawn unit by unit, a quarter of 8 units drew none for about one deployment in ten (0.75⁸), which then waited
        // for canary requests that no unit could answer.
        var shares = Enumerable.Range(0, 200).Select(i => new LabscapeServing(Stable, Canary, 2_500, $"deploy-{i}").CanarySlots(16, 8));

        Assert.All(shares, slots => Assert.Equal(2, slots.Count(onCanary => onCanary)));
    }

    [Fact]
    public void A_growing_share_keeps_every_unit_the_smaller_one_served()
    {
        var small = new LabscapeServing(Stable, Canary, 500, "deploy-1");
        var large = small with { CanaryBasisPoints = 2_500 };
        var (fewer, more) = (small.CanarySlots(0, 4_096), large.CanarySlots(0, 4_096));

        Assert.All(Enumerable.Range(0, 4_096).Where(slot => fewer[slot]), slot => Assert.True(more[slot]));
    }

    [Fact]
    public void Another_deployment_or_labscape_picks_other_units()
    {
        var first = new LabscapeServing(Stable, Canary, 5_000, "deploy-1");
        var second = first with { Deployment = "deploy-2" };

        Assert.NotEqual(first.CanarySlots(0, 64), second.CanarySlots(0, 64));
        Assert.NotEqual(first.CanarySlots(0, 64), first.CanarySlots(64, 64));
    }

    [Fact]
    public void Without_a_canary_no_unit_is_a_canary_whatever_the_share()
    {
        var serving = new LabscapeServing(Stable, null, 10_000, "deploy-1");

        Assert.DoesNotContain(true, serving.CanarySlots(0, 64));
        Assert.DoesNotContain(true, LabscapeServing.CanarySlotsOf("deploy-1", 0, 0, 64));
    }

    [Fact]
    public void The_gateway_and_the_labscape_pick_the_same_units()
    {
        var serving = new LabscapeServing(Stable, Canary, 3_300, "deploy-7");

        Assert.Equal(serving.CanarySlots(8_192, 4_096), LabscapeServing.CanarySlotsOf("deploy-7", 3_300, 8_192, 4_096));
    }
}
