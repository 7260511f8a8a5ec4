namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>The in-memory SIMD backend the fast tests compute on, and tables whose rows differ from each other.</summary>
internal static class Tables
{
    /// <summary>A small model: big enough that rows give different answers, small enough for microseconds per launch.</summary>
    public static readonly MlpArchitecture Architecture = new(4, 3, 2);

    public static IComputeBackend Backend { get; } =
        ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd, MaxBatchRows = 64, SimdThreads = 1 });

    /// <summary>A table of <paramref name="units"/> rows, row r seeded from r (so every row has weights of its own).</summary>
    public static async Task<GatedTable> SeededAsync(int units)
    {
        var parameters = new float[units * Architecture.ParameterCount];
        for (var row = 0; row < units; row++)
        {
            Architecture.InitializeParameters(row, parameters.AsSpan(row * Architecture.ParameterCount, Architecture.ParameterCount));
        }

        var table = Backend.CreateTable(Architecture, units);
        await table.LoadUnitsAsync(0, parameters);
        return new GatedTable(table);
    }

    /// <summary>What <paramref name="row"/> answers to <paramref name="input"/> when asked alone.</summary>
    public static async Task<float[]> ForwardAloneAsync(IParameterTable table, int row, float[] input)
    {
        var output = new float[table.Architecture.Outputs];
        await table.ForwardAsync(new[] { row }, input, output);
        return output;
    }

    public static async Task<float[]> RowAsync(IParameterTable table, int row)
    {
        var parameters = new float[table.Architecture.ParameterCount];
        await table.ReadUnitAsync(row, parameters);
        return parameters;
    }

    public static float[] Input(float value) => [value, -value, 0.5f * value, 1];
}
