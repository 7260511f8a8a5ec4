using System.Text;
using Galaxy.Grains.Optimization;
using Galaxy.Kernels;
using Galaxy.Registry;
using Galaxy.Registry.Training;
using Npgsql;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// What the optimizer takes from the registry for a version: its weights and its dataset as it was trained on, or a
/// refusal that names what does not fit (no such version, not a classifier, no dataset, features or labels that differ).
/// </summary>
public sealed class OptimizationSubjectsTests : IAsyncLifetime
{
    private const string Actor = "tester";

    private readonly TestDatabase _database = new();
    private NpgsqlDataSource _source = null!;
    private ModelRegistry _models = null!;
    private DatasetStore _datasets = null!;
    private OptimizationSubjects _subjects = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
        _models = new ModelRegistry(_source, TimeProvider.System);
        _datasets = new DatasetStore(_source, TimeProvider.System);
        _subjects = new OptimizationSubjects(_models, _datasets, new TrainingJobStore(_source, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_classifier_and_its_dataset_are_loaded_standardised_as_trained_with_the_default_recipe()
    {
        var dataset = await DatasetAsync("fits", Rows(40, "no", "yes"));
        var version = await VersionAsync("fits", ["no", "yes"], dataset.Id);

        var (found, datasetId, subject) = await _subjects.LoadAsync(new OptimizationTarget(version.ModelId, version.Version, null), CancellationToken.None);

        Assert.Equal(version.Version, found.Version);
        Assert.Equal(dataset.Id, datasetId);
        Assert.Equal(new MlpArchitecture(2, 3, 2), subject.Architecture);
        Assert.Equal(await _models.LoadWeightsAsync(version.ModelId, version.Version, CancellationToken.None), subject.Weights);
        Assert.Equal(40, subject.Data.Train.Rows + subject.Data.Validation.Rows);
        Assert.Equal(3, subject.Recipe.Hidden);
        Assert.Empty(subject.Population);
    }

    [Fact]
    public async Task A_version_that_does_not_exist_is_refused()
    {
        var version = await VersionAsync("missing", ["no", "yes"], null);

        var refused = await RefusedAsync(new OptimizationTarget(version.ModelId, 9, null));

        Assert.Equal($"Version 9 of model {version.ModelId} does not exist.", refused.Message);
    }

    [Fact]
    public async Task A_version_without_a_class_per_output_is_refused_as_no_classifier()
    {
        var version = await VersionAsync("regression", [], null);

        var refused = await RefusedAsync(new OptimizationTarget(version.ModelId, version.Version, null));

        Assert.Contains("is not a classifier", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_whose_lineage_names_no_dataset_needs_one_given()
    {
        var version = await VersionAsync("no-dataset", ["no", "yes"], null);

        var refused = await RefusedAsync(new OptimizationTarget(version.ModelId, version.Version, null));

        Assert.Contains("names no dataset in its lineage", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dataset_that_does_not_exist_is_refused()
    {
        var version = await VersionAsync("unknown-dataset", ["no", "yes"], null);
        var missing = Guid.NewGuid();

        var refused = await RefusedAsync(new OptimizationTarget(version.ModelId, version.Version, missing));

        Assert.Equal($"Dataset {missing} does not exist.", refused.Message);
    }

    [Fact]
    public async Task A_dataset_of_another_width_is_refused()
    {
        var dataset = await DatasetAsync("wide", "a,b,c,label\n1,2,3,no\n4,5,6,yes\n");
        var version = await VersionAsync("narrow", ["no", "yes"], null);

        var refused = await RefusedAsync(new OptimizationTarget(version.ModelId, version.Version, dataset.Id));

        Assert.Equal($"Dataset {dataset.Name} has 3 features; version 1 of {version.ModelName} takes 2.", refused.Message);
    }

    [Fact]
    public async Task A_dataset_with_a_label_the_version_does_not_know_is_refused()
    {
        var dataset = await DatasetAsync("labels", Rows(10, "no", "maybe"));
        var version = await VersionAsync("known-labels", ["no", "yes"], null);

        var refused = await RefusedAsync(new OptimizationTarget(version.ModelId, version.Version, dataset.Id));

        Assert.StartsWith($"Dataset {dataset.Name}: Row 2 has the label 'maybe'", refused.Message, StringComparison.Ordinal);
    }

    private Task<InvalidOptimizationException> RefusedAsync(OptimizationTarget target) =>
        Assert.ThrowsAsync<InvalidOptimizationException>(() => _subjects.LoadAsync(target, CancellationToken.None));

    /// <summary>A 2-3-2 cross-entropy version of a new model named after <paramref name="name"/>.</summary>
    private async Task<ModelVersion> VersionAsync(string name, string[] classes, Guid? datasetId)
    {
        var model = await _models.CreateModelAsync($"{name}-{Guid.NewGuid():N}", "", new Dictionary<string, string>(), Actor, CancellationToken.None);
        var version = new NewModelVersion(
            2, 3, 2, "CrossEntropy", Enumerable.Range(0, 17).Select(i => i / 16f).ToArray(), new Preprocessing([0, 0], [1, 1]),
            classes, ["a", "b"], new Dictionary<string, double>(), new VersionLineage(null, datasetId, null, null, "registered"));
        return await _models.CreateVersionAsync(model.Id, version, Actor, CancellationToken.None);
    }

    private async Task<DatasetInfo> DatasetAsync(string name, string csv)
    {
        var (table, bytes) = await CsvDataset.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "label", 1 << 20, CancellationToken.None);
        return await _datasets.RegisterAsync($"{name}-{Guid.NewGuid():N}", table, bytes, Actor, CancellationToken.None);
    }

    /// <summary>Rows of two features, labelled in turn with <paramref name="first"/> and <paramref name="second"/>.</summary>
    private static string Rows(int count, string first, string second) =>
        "a,b,label\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{i},{i % 7},{(i % 2 == 0 ? first : second)}\n"));
}
