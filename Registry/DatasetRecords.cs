namespace Galaxy.Registry;

/// <summary>
/// A dataset's rows, as training and evaluation read them: <see cref="Features"/> holds <see cref="Rows"/> ×
/// <c>FeatureNames.Length</c> values, row-major; <see cref="Labels"/> one raw label per row. Straight from
/// <see cref="CsvDataset"/> it has no id or name yet (empty).
/// </summary>
public sealed record DatasetTable(
    Guid Id, string Name, string Sha256, string LabelColumn,
    string[] FeatureNames, int Rows, float[] Features,
    string[] Labels);

/// <summary>What the registry shows of a dataset: its schema and class counts, not its rows.</summary>
public sealed record DatasetInfo(
    Guid Id, string Name, string Sha256, string LabelColumn, string[] FeatureNames,
    int Rows, long Bytes, IReadOnlyDictionary<string, int> ClassCounts, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>An upload's dataset, and whether the upload added it (false: the same content was already stored).</summary>
public sealed record DatasetRegistration(DatasetInfo Dataset, bool IsNew);
