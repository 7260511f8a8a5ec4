namespace Galaxy.Grains.Tests;

/// <summary>A request's vectors are checked before they reach a batch, with a message that says what is wrong.</summary>
public sealed class UnitInputTests
{
    [Fact]
    public void A_finite_vector_of_the_models_width_passes()
    {
        UnitInput.EnsureValid([1, -2, 0.5f], 3, "input");
        UnitInput.EnsureValidTarget([0.25f, 0.75f], 2, LossFunction.CrossEntropy);
        UnitInput.EnsureValidTimeout(null);
        UnitInput.EnsureValidTimeout(TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData(2, "The input must hold 3 values, not 2.")]
    [InlineData(4, "The input must hold 3 values, not 4.")]
    public void A_vector_of_another_width_is_refused_naming_both_widths(int length, string message)
    {
        var refused = Assert.Throws<InvalidUnitInputException>(() => UnitInput.EnsureValid(new float[length], 3, "input"));

        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void A_missing_vector_is_refused_as_holding_no_values()
    {
        var refused = Assert.Throws<InvalidUnitInputException>(() => UnitInput.EnsureValid(null, 3, "input of unit 7"));

        Assert.Equal("The input of unit 7 must hold 3 values, not 0.", refused.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void A_non_finite_value_is_refused_naming_its_place(float value, string shown)
    {
        var refused = Assert.Throws<InvalidUnitInputException>(() => UnitInput.EnsureValid([0, 1, value], 3, "input"));

        Assert.Equal($"The input's value 2 is {shown}: every value must be finite.", refused.Message);
    }

    [Fact]
    public void A_cross_entropy_target_with_a_negative_value_is_refused()
    {
        var refused = Assert.Throws<InvalidUnitInputException>(
            () => UnitInput.EnsureValidTarget([1.5f, -0.5f], 2, LossFunction.CrossEntropy));

        Assert.Equal("A cross-entropy target is a probability vector: no value may be negative.", refused.Message);
    }

    [Fact]
    public void A_mean_squared_error_target_may_be_negative_but_not_of_another_width()
    {
        UnitInput.EnsureValidTarget([1.5f, -0.5f], 2, LossFunction.MeanSquaredError);

        var refused = Assert.Throws<InvalidUnitInputException>(() => UnitInput.EnsureValidTarget([1], 2, LossFunction.MeanSquaredError));
        Assert.Equal("The target must hold 2 values, not 1.", refused.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_timeout_that_is_not_positive_is_refused(int milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);

        var refused = Assert.Throws<InvalidUnitInputException>(() => UnitInput.EnsureValidTimeout(timeout));

        Assert.Equal($"The timeout must be positive, not {timeout}.", refused.Message);
    }
}
