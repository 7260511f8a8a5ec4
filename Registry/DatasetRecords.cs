namespace Galaxy.Registry;

/// <summary>
/// A dataset's rows, as training and evaluation read them: <see cref="Features"/> holds <see cref="Rows"/> ×
/// <c>FeatureNames.Length</c> values, row-major; <see cref="Labels"/> one raw label per row. Straight from
/// <see cref="CsvDataset"/> it has no id or name yet (empty).
/// </summary>
public sealed record DatasetTable(
    Guid Id, string Name, string Sha256, string LabelColumn,
    string[] FeatureNames, int Rows, float[] Features,
    string[] Labels)
{
    /// <summary>Columns of the upload that looked like personal data and were masked (<see cref="PersonalData.PersonalDataPolicy"/>).</summary>
    public IReadOnlyList<PersonalData.PersonalDataFinding> PersonalData { get; init; } = [];
}

/// <summary>What the registry shows of a dataset: its schema and class counts, not its rows.</summary>
public sealed record DatasetInfo(
    Guid Id, string Name, string Sha256, string LabelColumn, string[] FeatureNames,
    int Rows, long Bytes, IReadOnlyDictionary<string, int> ClassCounts, string CreatedBy, DateTimeOffset CreatedAt)
{
    /// <summary>Columns of the upload that looked like personal data and were masked; dropped features are not in <see cref="FeatureNames"/>.</summary>
    public IReadOnlyList<PersonalData.PersonalDataFinding> PersonalData { get; init; } = [];

    /// <summary>Whether its features and labels are stored encrypted (<c>Galaxy:DataProtection</c>).</summary>
    public bool Encrypted { get; init; }
}

/// <summary>An upload's dataset, and whether the upload added it (false: the same content was already stored).</summary>
public sealed record DatasetRegistration(DatasetInfo Dataset, bool IsNew);
