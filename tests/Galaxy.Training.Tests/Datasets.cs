using System.Globalization;
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

    /// <summary><c>datasets/optdigits-train.csv</c>: 3,823 handwritten digits, 64 pixel counts each.</summary>
    public static LabelledData Digits()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "datasets", "optdigits-train.csv")).Skip(1).ToArray();
        var values = lines.SelectMany(line => line.Split(',').Take(64).Select(cell => float.Parse(cell, CultureInfo.InvariantCulture))).ToArray();
        return LabelledData.FromLabels(64, values, lines.Select(line => line.Split(',')[64]).ToArray());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Galaxy.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Not inside the repository.");
    }
}
