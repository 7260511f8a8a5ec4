using Galaxy.Gateway.Inference;

namespace Galaxy.Gateway.Tests;

/// <summary>The routes' split of a labscape's units: the labscape's own, kept until the labscape's canary changes.</summary>
public sealed class CanarySplitsTests
{
    [Fact]
    public void A_split_is_the_labscapes_own_pick_of_its_units()
    {
        var split = new CanarySplits().Of(3, "deploy-1", 2_500, 24, 8);
        var onCanary = Galaxy.Grains.LabscapeServing.CanarySlotsOf("deploy-1", 2_500, 24, 8);

        Assert.Equal(Enumerable.Range(0, 8).Where(slot => onCanary[slot]).Select(slot => 24L + slot), split.OnCanary);
        Assert.Equal(Enumerable.Range(0, 8).Where(slot => !onCanary[slot]).Select(slot => 24L + slot), split.OnStable);
    }

    [Fact]
    public void A_split_is_kept_while_the_labscapes_canary_stays_and_made_anew_when_it_moves()
    {
        var splits = new CanarySplits();
        var first = splits.Of(3, "deploy-1", 2_500, 24, 8);

        Assert.Same(first, splits.Of(3, "deploy-1", 2_500, 24, 8));
        Assert.Equal(4, splits.Of(3, "deploy-1", 5_000, 24, 8).OnCanary.Length);
        Assert.NotEqual(first.OnCanary, splits.Of(3, "deploy-2", 2_500, 24, 8).OnCanary);
        Assert.Equal(2, splits.Of(4, "deploy-1", 2_500, 32, 8).OnCanary.Length);
    }
}
