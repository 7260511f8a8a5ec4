namespace Galaxy.Grains;

/// <summary>Checks a request's vectors before they reach a batch, where one bad row would fail its neighbours.</summary>
internal static class UnitInput
{
    public static void EnsureValid(float[]? values, int expectedLength, string name)
    {
        if (values is null || values.Length != expectedLength)
        {
            throw new InvalidUnitInputException(
                $"The {name} must hold {expectedLength} values, not {values?.Length ?? 0}.");
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new InvalidUnitInputException($"The {name}'s value {i} is {values[i]}: every value must be finite.");
            }
        }
    }

    public static void EnsureValidTarget(float[]? target, int outputs, LossFunction loss)
    {
        EnsureValid(target, outputs, "target");
        if (loss == LossFunction.CrossEntropy && Array.Exists(target!, p => p < 0))
        {
            throw new InvalidUnitInputException("A cross-entropy target is a probability vector: no value may be negative.");
        }
    }

    public static void EnsureValidTimeout(TimeSpan? timeout)
    {
        if (timeout is { } value && value <= TimeSpan.Zero)
        {
            throw new InvalidUnitInputException($"The timeout must be positive, not {value}.");
        }
    }
}
