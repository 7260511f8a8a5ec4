using System.Globalization;
using System.Text.Json;
using Galaxy.Grains.Training;
using Galaxy.Optimization;
using Galaxy.Registry;
using Galaxy.Registry.Training;
using Galaxy.Training;

namespace Galaxy.Grains.Optimization;

/// <summary>
/// A registered version as the optimizer takes it: its weights, its dataset split and standardised as it was trained
/// (the training job's recipe and validation share, the version's own preprocessing), and its job's population,
/// best first, when the job kept one.
/// </summary>
public sealed class OptimizationSubjects(ModelRegistry registry, DatasetStore datasets, TrainingJobStore jobs)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(ModelVersion Version, Guid DatasetId, OptimizationSubject Subject)> LoadAsync(OptimizationTarget target, CancellationToken cancellationToken)
    {
        var version = await registry.FindVersionAsync(target.ModelId, target.Version.ToString(CultureInfo.InvariantCulture), cancellationToken)
            ?? throw new InvalidOptimizationException($"Version {target.Version} of model {target.ModelId} does not exist.");
        if (version.Classes.Length != version.Outputs)
        {
            throw new InvalidOptimizationException(
                $"Version {version.Version} of {version.ModelName} is not a classifier: accuracy, which every technique is judged by, needs a class per output.");
        }

        var datasetId = target.DatasetId ?? version.Lineage.DatasetId
            ?? throw new InvalidOptimizationException(
                $"Version {version.Version} of {version.ModelName} names no dataset in its lineage: give one ('dataset') to judge the techniques on.");
        var table = await datasets.LoadAsync(datasetId, cancellationToken)
            ?? throw new InvalidOptimizationException($"Dataset {datasetId} does not exist.");
        if (table.FeatureNames.Length != version.Inputs)
        {
            throw new InvalidOptimizationException(
                $"Dataset {table.Name} has {table.FeatureNames.Length} features; version {version.Version} of {version.ModelName} takes {version.Inputs}.");
        }

        LabelledData data;
        try
        {
            data = LabelledData.WithClasses(version.Inputs, table.Features, table.Labels, version.Classes);
        }
        catch (UnknownClassException unknown)
        {
            throw new InvalidOptimizationException($"Dataset {table.Name}: {unknown.Message}");
        }

        var recipe = await RecipeAsync(version, cancellationToken);
        TrainingSet set;
        try
        {
            set = TrainingSet.Split(data, recipe.ValidationFraction, new Standardization(version.Preprocessing.Offsets, version.Preprocessing.Scales));
        }
        catch (ArgumentException invalid)
        {
            throw new InvalidOptimizationException($"Dataset {table.Name}: {invalid.Message}");
        }

        var architecture = new MlpArchitecture(version.Inputs, version.Hidden, version.Outputs);
        var weights = await registry.LoadWeightsAsync(version.ModelId, version.Version, cancellationToken);
        var subject = new OptimizationSubject(architecture, weights, set, recipe)
        {
            Population = await PopulationAsync(version, architecture, cancellationToken),
        };
        return (version, datasetId, subject);
    }

    /// <summary>The recipe of the job that trained the version, or the default recipe at the version's width and loss.</summary>
    private async Task<TrainingRecipe> RecipeAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var fallback = TrainingRecipe.Default with { Hidden = version.Hidden, Loss = Enum.Parse<LossKind>(version.Loss) };
        if (version.Lineage.TrainingJobId is not { } jobId || await jobs.RecipeJsonAsync(jobId, cancellationToken) is not { } json)
        {
            return fallback;
        }

        var recipe = JsonSerializer.Deserialize<TrainingRecipeSpec>(json, Json)?.ToRecipe();
        return recipe is not null && recipe.Hidden == version.Hidden && recipe.Problems().Count == 0 ? recipe : fallback;
    }

    /// <summary>The version's training population, best validation accuracy first; empty when its job kept none.</summary>
    private async Task<IReadOnlyList<float[]>> PopulationAsync(ModelVersion version, MlpArchitecture architecture, CancellationToken cancellationToken)
    {
        if (version.Lineage.TrainingJobId is not { } jobId || await jobs.LoadPopulationAsync(jobId, cancellationToken) is not var (parameters, accuracy))
        {
            return [];
        }

        var p = architecture.ParameterCount;
        if (parameters.Length != accuracy.Length * p)
        {
            return [];
        }

        return Enumerable.Range(0, accuracy.Length)
            .OrderByDescending(row => accuracy[row])
            .ThenBy(row => row)
            .Select(row => parameters.AsSpan(row * p, p).ToArray())
            .ToArray();
    }
}
