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
}
