using Galaxy.Kernels;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// The kernels' double-precision reference, applied to the weights a unit of the test galaxy computes with while its
/// labscape serves the initial models: its own, once it has learned, else its seeded ones.
/// </summary>
internal static class Reference
{
    public static double[] Predict(UnitState unit, float[] input) =>
        ReferenceMlp.Forward(MlpArchitecture.Default, ReferenceMlp.ToDouble(WeightsOf(unit)), ReferenceMlp.ToDouble(input));

    public static float[] WeightsOf(UnitState unit) => unit.Parameters.Length > 0
        ? unit.Parameters
        : Seeds.InitialParameters(unit.UnitId, new GalaxyTopology(GalaxyTestCluster.Labscapes, GalaxyTestCluster.UnitsPerLabscape, new ModelShape(16, 16, 4)));

    public static float[] RandomVector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    public static void AssertClose(double[] expected, float[] actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"output {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
