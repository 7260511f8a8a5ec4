using Galaxy.Registry;
using Galaxy.Training;

namespace Galaxy.Training.Tests;

/// <summary>Data for the tests: well separated Gaussian blobs, and the example digits the repository ships.</summary>
internal static class Datasets
{
    /// <summary><paramref name="perClass"/> rows of each of <paramref name="classes"/> classes, around centres far apart.</summary>
    public static LabelledData Blobs(int classes, int features, int perClass, int seed = 7)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble() * 8 - 4).ToArray()).ToArray();
        var values = new List<float>();
        var labels = new List<string>();
        for (var row = 0; row < classes * perClass; row++)
        {
            var k = row % classes;
            values.AddRange(centres[k].Select(c => (float)(c + random.NextDouble() - 0.5)));
            labels.Add($"class-{k}");
        }

        return LabelledData.FromLabels(features, values.ToArray(), labels);
    }

    /// <summary><c>datasets/optdigits-train.csv</c> (copied beside the tests), read as an upload is: 3,823 handwritten digits, 64 pixel counts each.</summary>
    public static async Task<LabelledData> DigitsAsync()
    {
        await using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "optdigits-train.csv"));
        var (table, _) = await CsvDataset.ReadAsync(file, "digit", maxBytes: 1 << 20, CancellationToken.None);
        return LabelledData.FromLabels(table.FeatureNames.Length, table.Features, table.Labels);
    }
}
