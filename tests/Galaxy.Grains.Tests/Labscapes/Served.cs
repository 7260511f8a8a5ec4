using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>Registry versions as a labscape serves them, with their weights in memory, and what they should answer.</summary>
internal static class Served
{
    public static readonly Guid ModelId = Guid.Parse("5d1c3a6e-2f4b-4e8a-9c7d-1b2a3c4d5e6f");
    public static readonly ModelShape Shape = Tables.Architecture.ToShape();
    public static readonly LearnSpec Learn = new(LossFunction.MeanSquaredError, 0.05f, 5);
    public static readonly BatchingSettings Batching = new();

    /// <summary>Version <paramref name="number"/> of the <c>digits</c> model, of <paramref name="shape"/> (the test shape unless given).</summary>
    public static ServedVersion Version(int number, bool int8 = false, ModelShape? shape = null) =>
        new(ModelId, "digits", number, shape ?? Shape, LossFunction.MeanSquaredError, ["a", "b"]) { Int8 = int8 };

    /// <summary>A version's weights (seeded from its number) and its standardisation: (x − 0.5) · 2.</summary>
    public static VersionWeights WeightsOf(ServedVersion version)
    {
        var architecture = version.Shape.ToArchitecture();
        var inputs = architecture.Inputs;
        return new VersionWeights(
            Seeded(1_000 + version.Version, architecture), Enumerable.Repeat(0.5f, inputs).ToArray(), Enumerable.Repeat(2f, inputs).ToArray());
    }

    /// <summary>Every version's weights, read from memory.</summary>
    public static VersionWeightsCache Cache() => new(version => Task.FromResult(WeightsOf(version)));

    public static float[] Seeded(long seed, MlpArchitecture? architecture = null)
    {
        var a = architecture ?? Tables.Architecture;
        var parameters = new float[a.ParameterCount];
        a.InitializeParameters(seed, parameters);
        return parameters;
    }

    /// <summary>A raw input as a version of <see cref="WeightsOf"/> takes it.</summary>
    public static float[] Standardised(float[] raw) => [.. raw.Select(x => (x - 0.5f) * 2)];

    /// <summary>What a model with <paramref name="parameters"/> answers to <paramref name="input"/>, on a table of its own.</summary>
    public static async Task<float[]> ForwardWithAsync(float[] parameters, float[] input)
    {
        using var table = Tables.Backend.CreateTable(Tables.Architecture, 1);
        await table.LoadUnitAsync(0, parameters);
        return await Tables.ForwardAloneAsync(table, 0, input);
    }

    /// <summary>The weights one learn step takes <paramref name="parameters"/> to, on a table of its own.</summary>
    public static async Task<float[]> StepFromAsync(float[] parameters, float[] input, float[] target, LearnSpec spec)
    {
        using var table = Tables.Backend.CreateTable(Tables.Architecture, 1);
        await table.LoadUnitAsync(0, parameters);
        await table.LearnStepAsync(new[] { 0 }, input, target, spec.ToSettings(), new float[1]);
        return await Tables.RowAsync(table, 0);
    }
}
