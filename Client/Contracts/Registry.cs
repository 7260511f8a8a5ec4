using System.Text.Json;
using System.Text.Json.Serialization;

namespace Galaxy.Contracts;

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

/// <summary>The statuses as the wire writes them.</summary>
public static class VersionStatusNames
{
    private static readonly string[] Names = ["PENDING", "APPROVED", "DEPLOYED", "ROLLED_BACK", "RETIRED"];

    /// <summary><c>PENDING</c>, <c>APPROVED</c>, <c>DEPLOYED</c>, <c>ROLLED_BACK</c> or <c>RETIRED</c>.</summary>
    public static string ToWireName(this VersionStatus status) => Names[(int)status];
}

public sealed record CreateModelRequest(string? Name, string? Description = null, Dictionary<string, string>? Tags = null);

/// <summary>What is given changes: a new description, tags that replace the model's.</summary>
public sealed record UpdateModelRequest(string? Description, Dictionary<string, string>? Tags = null);

/// <summary>A model: its aliases (alias → version) and its newest version's number and status, if it has versions.</summary>
public sealed record ModelResponse(
    Guid Id, string Name, string Description, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, int> Aliases,
    int? LatestVersion, VersionStatus? LatestStatus, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What a version does to raw features first: <c>x'[i] = (x[i] − Offsets[i]) · Scales[i]</c>.</summary>
public sealed record InputPreprocessing(float[] Offsets, float[] Scales);

/// <summary>
/// Where a version came from: its training job, its dataset and that dataset's content hash, and for a derived version the
/// version it came from and how (<c>trained</c>, <c>registered</c>, or an optimization: <c>int8</c>, <c>pruned</c>,
/// <c>distilled</c>, joined by <c>+</c>), with the settings it was made with.
/// </summary>
public sealed record LineageResponse(Guid? TrainingJobId, Guid? DatasetId, string? DatasetSha256, int? ParentVersion, string Technique)
{
    /// <summary>An optimization's settings (<c>pruneFraction</c>, <c>studentHidden</c>, …); null for trained and registered versions.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>Whether the version serves from int8 tables (its technique ends in <c>int8</c>; its weights are the dequantised ones).</summary>
    public bool ServesInt8 { get; init; }
}

/// <summary>A registered version, without its weights (<c>…/weights</c> has those).</summary>
public sealed record ModelVersionResponse(
    Guid ModelId, string ModelName, int Version, VersionStatus Status, int Inputs, int Hidden, int Outputs, string Loss,
    InputPreprocessing Preprocessing, string[] Classes, string[] FeatureNames, IReadOnlyDictionary<string, double> Metrics,
    LineageResponse Lineage, string[] Aliases, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset StatusChangedAt,
    string? StatusReason);

/// <summary>
/// Weights trained elsewhere, registered as a <c>PENDING</c> version: architecture <c>inputs-hidden-outputs</c>, loss
/// (<c>MeanSquaredError</c> or <c>CrossEntropy</c>) and the packed weights (<c>W1 | b1 | W2 | b2</c>, row-major) are
/// required; without <c>preprocessing</c> the version takes raw features. <c>dataset</c> (id or name) and
/// <c>parentVersion</c> record lineage.
/// </summary>
public sealed record RegisterVersionRequest(int? Inputs, int? Hidden, int? Outputs, string? Loss, float[]? Weights)
{
    public InputPreprocessing? Preprocessing { get; init; }

    public string[]? Classes { get; init; }

    public string[]? FeatureNames { get; init; }

    public Dictionary<string, double>? Metrics { get; init; }

    public string? Dataset { get; init; }

    public int? ParentVersion { get; init; }
}

/// <summary>Why a version is approved or retired: kept on the version and in the audit chain.</summary>
public sealed record StatusChangeRequest(string? Reason);

public sealed record SetAliasRequest(int? Version);

public sealed record AliasResponse(string Alias, int Version, string UpdatedBy, DateTimeOffset UpdatedAt);

public sealed record VersionWeights(string Model, int Version, int Inputs, int Hidden, int Outputs, float[] Weights);

/// <summary>A version's accuracy on a dataset; <c>Report</c> holds per-class precision and recall and the confusion matrix.</summary>
public sealed record EvaluationResponse(
    long Id, int Version, Guid DatasetId, string DatasetName, double Accuracy, JsonElement Report, string EvaluatedBy, DateTimeOffset EvaluatedAt);

/// <summary>A column of an upload that looked like personal data, and what the policy did with it.</summary>
public sealed record PersonalDataFindingResponse(string Column, string Kind, int Line, string Action);

/// <summary>A dataset's schema, size, content hash (SHA-256 of the uploaded bytes) and rows per label.</summary>
public sealed record DatasetResponse(
    Guid Id, string Name, string Sha256, string LabelColumn, string[] FeatureNames, int Rows, long Bytes,
    IReadOnlyDictionary<string, int> ClassCounts, string CreatedBy, DateTimeOffset CreatedAt, PersonalDataFindingResponse[] PersonalData,
    bool Encrypted);

/// <summary>One page of a listing; <c>Total</c> counts every match, not only this page's.</summary>
public sealed record PageResponse<T>(T[] Items, int Offset, int Limit, long Total);
