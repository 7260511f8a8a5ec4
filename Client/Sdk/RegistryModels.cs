using System.Text.Json;
using System.Text.Json.Serialization;

namespace Galaxy.Client;

/// <summary>Where a model version is in its life: <c>PENDING → APPROVED → DEPLOYED → ROLLED_BACK | RETIRED</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VersionStatus>))]
public enum VersionStatus
{
    [JsonStringEnumMemberName("PENDING")]
    Pending,

    [JsonStringEnumMemberName("APPROVED")]
    Approved,

    [JsonStringEnumMemberName("DEPLOYED")]
    Deployed,

    [JsonStringEnumMemberName("ROLLED_BACK")]
    RolledBack,

    [JsonStringEnumMemberName("RETIRED")]
    Retired,
}

/// <summary>The statuses as the gateway writes them.</summary>
public static class VersionStatusNames
{
    /// <summary><c>PENDING</c>, <c>APPROVED</c>, <c>DEPLOYED</c>, <c>ROLLED_BACK</c> or <c>RETIRED</c>.</summary>
    public static string ToWireName(this VersionStatus status) => status switch
    {
        VersionStatus.Pending => "PENDING",
        VersionStatus.Approved => "APPROVED",
        VersionStatus.Deployed => "DEPLOYED",
        VersionStatus.RolledBack => "ROLLED_BACK",
        VersionStatus.Retired => "RETIRED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No such version status."),
    };
}

/// <summary>A model: its aliases (alias → version) and its newest version's number and status, if it has versions.</summary>
public sealed record ModelInfo(
    Guid Id, string Name, string Description, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, int> Aliases,
    int? LatestVersion, VersionStatus? LatestStatus, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What a version does to raw features first: <c>x'[i] = (x[i] − Offsets[i]) · Scales[i]</c>.</summary>
public sealed record Preprocessing(float[] Offsets, float[] Scales);

public sealed record VersionLineage(Guid? TrainingJobId, Guid? DatasetId, string? DatasetSha256, int? ParentVersion, string Technique);

/// <summary>A registered version, without its weights (<see cref="GalaxyClient.GetWeightsAsync"/>).</summary>
public sealed record ModelVersion(
    Guid ModelId, string ModelName, int Version, VersionStatus Status, int Inputs, int Hidden, int Outputs, string Loss,
    Preprocessing Preprocessing, string[] Classes, string[] FeatureNames, IReadOnlyDictionary<string, double> Metrics,
    VersionLineage Lineage, string[] Aliases, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset StatusChangedAt,
    string? StatusReason);

/// <summary>
/// Weights trained elsewhere, to register as a version: architecture, loss (<c>MeanSquaredError</c> or
/// <c>CrossEntropy</c>) and the packed weights (<c>W1 | b1 | W2 | b2</c>, row-major). <see cref="Dataset"/> (id or name)
/// and <see cref="ParentVersion"/> record lineage.
/// </summary>
public sealed record NewVersion(int Inputs, int Hidden, int Outputs, string Loss, float[] Weights)
{
    public Preprocessing? Preprocessing { get; init; }

    public string[]? Classes { get; init; }

    public string[]? FeatureNames { get; init; }

    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    public string? Dataset { get; init; }

    public int? ParentVersion { get; init; }
}

public sealed record VersionWeights(string Model, int Version, int Inputs, int Hidden, int Outputs, float[] Weights);

public sealed record ModelAlias(string Alias, int Version, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>A version's accuracy on a dataset; <see cref="Report"/> holds per-class precision and recall and the confusion matrix.</summary>
public sealed record Evaluation(
    long Id, int Version, Guid DatasetId, string DatasetName, double Accuracy, JsonElement Report, string EvaluatedBy, DateTimeOffset EvaluatedAt);

/// <summary>A dataset's schema, size, content hash (SHA-256 of the uploaded bytes) and rows per label.</summary>
public sealed record DatasetInfo(
    Guid Id, string Name, string Sha256, string LabelColumn, string[] FeatureNames, int Rows, long Bytes,
    IReadOnlyDictionary<string, int> ClassCounts, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>One page of a listing; <see cref="Total"/> counts every match.</summary>
public sealed record Page<T>(T[] Items, int Offset, int Limit, long Total);
