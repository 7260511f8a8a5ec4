using Galaxy.Grains;
using Galaxy.Kernels;

namespace Galaxy.Testing.Failover;

/// <summary>
/// What a unit's parameters must be after n learns of one (input, target) from its seeded weights, computed apart from
/// the cluster on the SIMD kernels the silos use: the same arithmetic, so the same bits.
/// </summary>
public static class LearnReplay
{
    public static async Task<float[][]> ParametersAfterAsync(
        IReadOnlyList<int> units, IReadOnlyList<long> learns, float[] input, float[] target, GalaxyTopology topology)
    {
        var architecture = topology.Architecture.ToArchitecture();
        var size = architecture.ParameterCount;
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd });
        using var table = backend.CreateTable(architecture, Math.Max(1, units.Count));
        var seeded = new float[units.Count * size];
        for (var i = 0; i < units.Count; i++)
        {
            Seeds.InitialParameters(units[i], topology).CopyTo(seeded, i * size);
        }

        await table.LoadUnitsAsync(0, seeded);
        var settings = new LearningOptions().ToSpec().ToSettings();
        var inputs = Enumerable.Repeat(input, backend.MaxBatchRows).SelectMany(row => row).ToArray();
        var targets = Enumerable.Repeat(target, backend.MaxBatchRows).SelectMany(row => row).ToArray();
        var losses = new float[backend.MaxBatchRows];
        for (var step = 0L; step < learns.DefaultIfEmpty().Max(); step++)
        {
            var rows = Enumerable.Range(0, units.Count).Where(i => learns[i] > step).ToArray();
            foreach (var batch in rows.Chunk(backend.MaxBatchRows))
            {
                await table.LearnStepAsync(
                    batch, inputs.AsMemory(0, batch.Length * input.Length), targets.AsMemory(0, batch.Length * target.Length),
                    settings, losses.AsMemory(0, batch.Length));
            }
        }

        var result = new float[units.Count * size];
        await table.ReadUnitsAsync(0, result);
        return Enumerable.Range(0, units.Count).Select(i => result.AsSpan(i * size, size).ToArray()).ToArray();
    }

    public static float LargestDifference(float[] expected, float[] actual) =>
        expected.Length != actual.Length
            ? float.PositiveInfinity
            : expected.Zip(actual, (e, a) => MathF.Abs(e - a)).DefaultIfEmpty().Max();
}
