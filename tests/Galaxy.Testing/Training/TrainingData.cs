using System.Globalization;
using System.Text;
using Galaxy.Registry;
using Galaxy.Registry.Training;
using Npgsql;

namespace Galaxy.Testing.Training;

/// <summary>Datasets and models registered the way uploads and the gateway register them, for tests of training.</summary>
public sealed class TrainingData(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database = NpgsqlDataSource.Create(connectionString);

    public ModelRegistry Registry => new(_database, TimeProvider.System);

    public DatasetStore Datasets => new(_database, TimeProvider.System);

    public TrainingJobStore Jobs => new(_database, TimeProvider.System);

    /// <summary>
    /// <paramref name="perClass"/> rows of each of <paramref name="classes"/> classes around well separated centres,
    /// as CSV with a header (<c>f0 … fN, label</c>).
    /// </summary>
    public static string BlobsCsv(int classes, int features, int perClass, int seed = 3)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble() * 10).ToArray()).ToArray();
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(0, features).Select(f => $"f{f}")) + ",label\n");
        for (var row = 0; row < classes * perClass; row++)
        {
            var k = row % classes;
            csv.AppendLine(string.Join(',', centres[k].Select(c => (c + random.NextDouble() - 0.5).ToString("F3", CultureInfo.InvariantCulture))) + $",c{k}");
        }

        return csv.ToString();
    }

    /// <summary>The repository's example digits, as a stream.</summary>
    public async Task<DatasetInfo> RegisterDatasetAsync(string name, string csv, string labelColumn = "label") =>
        await RegisterDatasetAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(csv)), labelColumn);

    public async Task<DatasetInfo> RegisterDatasetAsync(string name, Stream csv, string labelColumn)
    {
        await using (csv)
        {
            var (table, bytes) = await CsvDataset.ReadAsync(csv, labelColumn, maxBytes: 16 << 20, CancellationToken.None);
            return await Datasets.RegisterAsync(name, table, bytes, "tester", CancellationToken.None);
        }
    }

    public Task<ModelInfo> CreateModelAsync(string name) => Registry.GetOrCreateModelAsync(name, "tester", CancellationToken.None);

    /// <summary>
    /// A version of <paramref name="model"/> with <paramref name="weights"/> (Xavier from <paramref name="seed"/> when
    /// not given), raw inputs (no standardisation), classes c0, c1, … and, when given, a validation accuracy — registered
    /// as weights trained elsewhere are.
    /// </summary>
    public async Task<ModelVersion> RegisterVersionAsync(
        ModelInfo model, int inputs, int hidden, int outputs, int seed, float[]? weights = null, double? validationAccuracy = null)
    {
        var architecture = new Kernels.MlpArchitecture(inputs, hidden, outputs);
        if (weights is null)
        {
            weights = new float[architecture.ParameterCount];
            architecture.InitializeParameters(seed, weights);
        }

        return await Registry.CreateVersionAsync(
            model.Id,
            new NewModelVersion(
                inputs, hidden, outputs, "CrossEntropy", weights, Preprocessing.Identity(inputs),
                Enumerable.Range(0, outputs).Select(k => $"c{k}").ToArray(), [],
                validationAccuracy is { } accuracy ? new Dictionary<string, double> { ["validation_accuracy"] = accuracy } : [],
                new VersionLineage(null, null, null, null, "registered")),
            "tester",
            CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
