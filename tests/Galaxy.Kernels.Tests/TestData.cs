using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

/// <summary>Seeded random architectures, tables and batches.</summary>
internal sealed class TestData(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>A random architecture with every dimension in 1…maxDimension, so odd and tiny sizes come up.</summary>
    public MlpArchitecture Architecture(int maxDimension) =>
        new(_random.Next(1, maxDimension + 1), _random.Next(1, maxDimension + 1), _random.Next(1, maxDimension + 1));

    public float[] Floats(int count, float scale = 1f)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (2f * _random.NextSingle() - 1f) * scale;
        }

        return values;
    }

    public int[] Slots(int rows, int units)
    {
        var slots = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            slots[i] = _random.Next(units);
        }

        return slots;
    }

    /// <summary>Random probability rows (non-negative, each summing to 1) for cross-entropy targets.</summary>
    public float[] Probabilities(int rows, int classes)
    {
        var values = new float[rows * classes];
        for (var r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * classes, classes);
            var sum = 0f;
            for (var k = 0; k < classes; k++)
            {
                row[k] = _random.NextSingle() + 0.01f;
                sum += row[k];
            }

            for (var k = 0; k < classes; k++)
            {
                row[k] /= sum;
            }
        }

        return values;
    }

    /// <summary>A table of <paramref name="units"/> on the backend, loaded with random weights (biases too, unlike Xavier init).</summary>
    public (IParameterTable Table, float[] Parameters) Table(IComputeBackend backend, MlpArchitecture architecture, int units)
    {
        var table = backend.CreateTable(architecture, units);
        var parameters = Floats(units * architecture.ParameterCount, 0.5f);
        table.LoadUnitsAsync(0, parameters).GetAwaiter().GetResult();
        return (table, parameters);
    }
}
