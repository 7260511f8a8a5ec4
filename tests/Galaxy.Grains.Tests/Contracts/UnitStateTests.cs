namespace Galaxy.Grains.Tests.Contracts;

/// <summary>A unit's own weights: none until it learns, then current ones and at most one other version's kept dormant.</summary>
public sealed class UnitStateTests
{
    private static readonly OwnWeights OnInitial = new("initial", new ModelShape(4, 3, 2), [1, 2, 3]);
    private static readonly OwnWeights OnDigits = new("digits:3", new ModelShape(64, 32, 10), [4, 5, 6]);

    [Fact]
    public void A_unit_that_never_learned_has_no_weights_of_its_own()
    {
        var state = new UnitState { UnitId = 7 };

        Assert.Null(state.Own);
        Assert.Null(state.OwnFor("initial"));
    }

    [Fact]
    public void Its_own_weights_are_found_for_their_version_current_or_dormant()
    {
        var state = new UnitState { UnitId = 7 }.WithOwn(OnDigits, OnInitial);

        Assert.Equal(OnDigits.Parameters, state.Own!.Parameters);
        Assert.Equal(OnDigits.Shape, state.Architecture);
        Assert.Equal("digits:3", state.ModelVersion);
        Assert.Same(OnDigits.Parameters, state.OwnFor("digits:3")!.Parameters);
        Assert.Same(OnInitial, state.OwnFor("initial"));
        Assert.Null(state.OwnFor("digits:4"));
    }

    [Fact]
    public void Setting_no_weights_clears_them_and_their_shape()
    {
        var state = new UnitState { UnitId = 7, Revision = 3 }.WithOwn(OnDigits, OnInitial).WithOwn(null, null);

        Assert.Null(state.Own);
        Assert.Null(state.Dormant);
        Assert.Equal(new ModelShape(0, 0, 0), state.Architecture);
        Assert.Equal("", state.ModelVersion);
        Assert.Equal(3, state.Revision);
    }
}
