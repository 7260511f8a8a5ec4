using System.Globalization;
using System.Text.Json;
using Galaxy.Registry;
using Galaxy.Training;

namespace Galaxy.Grains.Training;

/// <summary>Scores a registered version on a registered dataset on this silo's backend, and records the result on the version.</summary>
[StatelessWorker]
public sealed class ModelEvaluationGrain(IComputeBackend backend, ModelRegistry registry, DatasetStore datasets, TimeProvider clock)
    : ControlPlaneGrain, IModelEvaluationGrain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ModelEvaluation> Evaluate(Guid modelId, int version, Guid datasetId, string actor)
    {
        var model = await registry.FindVersionAsync(modelId, version.ToString(CultureInfo.InvariantCulture), CancellationToken.None)
            ?? throw new InvalidEvaluationException($"Version {version} of model {modelId} does not exist.");
        var table = await datasets.LoadAsync(datasetId, CancellationToken.None)
            ?? throw new InvalidEvaluationException($"Dataset {datasetId} does not exist.");
        if (model.Classes.Length != model.Outputs)
        {
            throw new InvalidEvaluationException($"Version {version} of {model.ModelName} is not a classifier: it names no class for its outputs.");
        }

        if (table.FeatureNames.Length != model.Inputs)
        {
            throw new InvalidEvaluationException(
                $"Dataset {table.Name} has {table.FeatureNames.Length} features; version {version} of {model.ModelName} takes {model.Inputs}.");
        }

        LabelledData data;
        try
        {
            data = LabelledData.WithClasses(model.Inputs, table.Features, table.Labels, model.Classes);
        }
        catch (UnknownClassException unknown)
        {
            throw new InvalidEvaluationException($"Dataset {table.Name}: {unknown.Message}");
        }

        var weights = await registry.LoadWeightsAsync(modelId, version, CancellationToken.None);
        var report = await Task.Run(() => ModelEvaluator.EvaluateAsync(
            backend,
            new MlpArchitecture(model.Inputs, model.Hidden, model.Outputs),
            weights,
            new Standardization(model.Preprocessing.Offsets, model.Preprocessing.Scales),
            data));
        var perClass = report.PerClass.Select(c => new ClassMetrics(c.Class, c.Precision, c.Recall, c.Support)).ToArray();
        var evaluation = new ModelEvaluation(modelId, version, datasetId, report.Rows, report.Accuracy, perClass, report.Confusion, clock.GetUtcNow());
        await registry.RecordEvaluationAsync(
            modelId, version, datasetId, report.Accuracy,
            JsonSerializer.Serialize(new { report.Rows, report.Accuracy, perClass, report.Confusion }, Json),
            actor, CancellationToken.None);
        return evaluation;
    }
}
