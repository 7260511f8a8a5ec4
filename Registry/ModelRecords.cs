namespace Galaxy.Registry;

/// <summary>
/// The input transform a version expects, so that clients send raw features: <c>x'[i] = (x[i] − Offsets[i]) · Scales[i]</c>,
/// one entry per input (per-feature standardisation is offsets = means, scales = 1 / standard deviations).
/// </summary>
public sealed record Preprocessing(float[] Offsets, float[] Scales)
{
    /// <summary>Raw features as they are.</summary>
    public static Preprocessing Identity(int inputs) => new(new float[inputs], Enumerable.Repeat(1f, inputs).ToArray());
}

/// <summary>
/// Where a version came from: the training job and dataset (with the dataset's content hash, which outlives the
/// dataset's name) and, for a derived version, the version it was derived from and how (<c>trained</c>,
/// <c>registered</c>, or an optimization: <c>int8</c>, <c>pruned</c>, <c>distilled</c>, joined by <c>+</c>) with the
/// settings it was made with.
/// </summary>
public sealed record VersionLineage(Guid? TrainingJobId, Guid? DatasetId, string? DatasetSha256, int? ParentVersion, string Technique)
{
    /// <summary>The technique's settings (<c>pruneFraction</c>, <c>studentHidden</c>, …); null for trained and registered versions.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>
    /// Whether the version serves with int8 weights: its technique's last step is <c>int8</c>. Its stored weights are
    /// then the dequantised ones, and labscapes quantise them back into an int8 table.
    /// </summary>
    public bool ServesInt8 => Technique == "int8" || Technique.EndsWith("+int8", StringComparison.Ordinal);
}

/// <summary>
/// A version to register: architecture <c>Inputs-Hidden-Outputs</c>, loss (<c>MeanSquaredError</c> or
/// <c>CrossEntropy</c>), the packed weights in the kernels' layout (<c>Kernels/MlpArchitecture.cs</c>), the preprocessing it
/// expects, the class label of each output (or none, for regression), the feature names (or none) and its metrics.
/// </summary>
public sealed record NewModelVersion(
    int Inputs, int Hidden, int Outputs, string Loss, float[] Weights, Preprocessing Preprocessing,
    string[] Classes, string[] FeatureNames, IReadOnlyDictionary<string, double> Metrics, VersionLineage Lineage);

/// <summary>A registered version, without its weights (<see cref="ModelRegistry.LoadWeightsAsync"/> reads those).</summary>
public sealed record ModelVersion(
    Guid ModelId, string ModelName, int Version, VersionStatus Status, int Inputs, int Hidden, int Outputs,
    string Loss, Preprocessing Preprocessing, string[] Classes, string[] FeatureNames, IReadOnlyDictionary<string, double> Metrics,
    VersionLineage Lineage, string[] Aliases, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset StatusChangedAt)
{
    /// <summary>Why the last status change was made, as its caller said; null when none was given or the status never changed.</summary>
    public string? StatusReason { get; init; }
}

/// <summary>
/// A model: its name, description and tags, where each alias points, and its newest version (the highest number) with
/// that version's status.
/// </summary>
public sealed record ModelInfo(
    Guid Id, string Name, string Description, IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, int> Aliases, int? LatestVersion, VersionStatus? LatestStatus,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// A model search: names containing <see cref="NameContains"/>, carrying every tag of <see cref="Tags"/>, whose newest
/// version is in <see cref="LatestStatus"/>; any of them null matches all. Ordered by name.
/// </summary>
public sealed record ModelQuery(
    string? NameContains = null, IReadOnlyDictionary<string, string>? Tags = null, VersionStatus? LatestStatus = null,
    int Offset = 0, int Limit = 100);

public sealed record ModelAlias(string Alias, int Version, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>A version's accuracy on a dataset; <see cref="ReportJson"/> holds per-class precision and recall and the confusion matrix.</summary>
public sealed record EvaluationRecord(
    long Id, Guid ModelId, int Version, Guid DatasetId, string DatasetName, double Accuracy, string ReportJson,
    string EvaluatedBy, DateTimeOffset EvaluatedAt);
