namespace Galaxy.Kernels;

/// <summary>The one size rule for every backend's tables: a table is one array, indexable with an int.</summary>
internal static class TableSize
{
    public static void EnsureValid(MlpArchitecture architecture, int units)
    {
        architecture.EnsureValid();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        if ((long)units * architecture.ParameterCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(units), units, $"{units} units of {architecture.ParameterCount} parameters exceed one table's {Array.MaxLength} floats.");
        }
    }

    public static void EnsureValidQuantized(MlpArchitecture architecture, int units)
    {
        architecture.EnsureValid();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        if ((long)units * Int8Quantization.UnitBytes(architecture) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(units), units, $"{units} int8 units of {Int8Quantization.UnitBytes(architecture)} bytes exceed one table's {Array.MaxLength} bytes.");
        }
    }
}
