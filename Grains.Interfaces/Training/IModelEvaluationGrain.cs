namespace Galaxy.Grains;

/// <summary>
/// Scores registered versions on registered datasets, on the silo's compute backend, and records each result on the
/// version. Stateless: any silo answers (key 0).
/// </summary>
[Alias("galaxy.IModelEvaluationGrain")]
public interface IModelEvaluationGrain : IGrainWithIntegerKey
{
    /// <exception cref="InvalidEvaluationException">The dataset does not fit the version (features, or a label it does not know).</exception>
    [Alias("Evaluate")]
    Task<ModelEvaluation> Evaluate(Guid modelId, int version, Guid datasetId, string actor);
}

/// <summary>A version's accuracy on a dataset, each class's precision and recall, and the confusion matrix (<c>[actual][predicted]</c>).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.model-evaluation")]
public sealed record ModelEvaluation(
    [property: Id(0)] Guid ModelId,
    [property: Id(1)] int Version,
    [property: Id(2)] Guid DatasetId,
    [property: Id(3)] int Rows,
    [property: Id(4)] double Accuracy,
    [property: Id(5)] ClassMetrics[] PerClass,
    [property: Id(6)] int[][] Confusion,
    [property: Id(7)] DateTimeOffset EvaluatedAt);

[GenerateSerializer, Immutable, Alias("galaxy.class-metrics")]
public sealed record ClassMetrics(
    [property: Id(0)] string Class,
    [property: Id(1)] double Precision,
    [property: Id(2)] double Recall,
    [property: Id(3)] int Support);

/// <summary>The dataset cannot be scored by the version: another number of features, or a label the version does not know.</summary>
[GenerateSerializer, Alias("galaxy.invalid-evaluation")]
public sealed class InvalidEvaluationException : Exception
{
    public InvalidEvaluationException()
    {
    }

    public InvalidEvaluationException(string message)
        : base(message)
    {
    }

    public InvalidEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
