using Galaxy.Kernels;

namespace Galaxy.Cluster.Tests;

/// <summary>The kernels' double-precision reference, applied to a unit's persisted parameters.</summary>
internal static class Reference
{
    public static double[] Predict(UnitState unit, float[] input) =>
        ReferenceMlp.Forward(
            new MlpArchitecture(unit.Architecture.Inputs, unit.Architecture.Hidden, unit.Architecture.Outputs),
            ReferenceMlp.ToDouble(unit.Parameters),
            ReferenceMlp.ToDouble(input));

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
