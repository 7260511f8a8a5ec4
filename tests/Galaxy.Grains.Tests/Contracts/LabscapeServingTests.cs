namespace Galaxy.Grains.Tests.Contracts;

/// <summary>Which units a canary serves: a pure function of unit and deployment, its share growing without moving units back.</summary>
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

    [Fact]
    public void A_canary_serves_about_its_share_of_the_units()
    {
        var serving = new LabscapeServing(Stable, Canary, 2_500, "deploy-1");

        var served = Enumerable.Range(0, 10_000).Count(unit => serving.ServesCanary(unit));

        Assert.InRange(served, 2_300, 2_700);
    }

    [Fact]
    public void A_growing_share_keeps_every_unit_the_smaller_one_served()
    {
        var small = new LabscapeServing(Stable, Canary, 500, "deploy-1");
        var large = small with { CanaryBasisPoints = 2_500 };

        Assert.All(Enumerable.Range(0, 4_096).Where(unit => small.ServesCanary(unit)), unit => Assert.True(large.ServesCanary(unit)));
    }

    [Fact]
    public void Another_deployment_picks_other_units()
    {
        var first = new LabscapeServing(Stable, Canary, 5_000, "deploy-1");
        var second = first with { Deployment = "deploy-2" };

        Assert.Contains(Enumerable.Range(0, 64), unit => first.ServesCanary(unit) != second.ServesCanary(unit));
    }

    [Fact]
    public void Without_a_canary_no_unit_is_a_canary_whatever_the_share()
    {
        var serving = new LabscapeServing(Stable, null, 10_000, "deploy-1");

        Assert.DoesNotContain(Enumerable.Range(0, 64), unit => serving.ServesCanary(unit));
    }
}
