using System.Text.Json;
using Galaxy.Registry;

namespace Galaxy.Gateway.Endpoints;

// What /v1/models and /v1/datasets take and give where the registry's own records (ModelInfo, ModelVersion, DatasetInfo,
// Page<T>, ModelAlias) are not the HTTP shape: requests with optional members that the endpoints check, weights apart
// from the version they belong to, and an evaluation's report as JSON rather than text.

public sealed record CreateModelRequest(string? Name, string? Description, Dictionary<string, string>? Tags);

/// <summary>What is given changes: a new description, tags that replace the model's.</summary>
public sealed record UpdateModelRequest(string? Description, Dictionary<string, string>? Tags);

/// <summary>
/// Weights trained elsewhere, registered as a <c>PENDING</c> version: architecture <c>inputs-hidden-outputs</c>, loss
/// (<c>MeanSquaredError</c> or <c>CrossEntropy</c>) and the packed weights (<c>W1 | b1 | W2 | b2</c>, row-major) are
/// required; without <c>preprocessing</c> the version takes raw features. <c>dataset</c> (id or name) and
/// <c>parentVersion</c> record lineage.
/// </summary>
public sealed record RegisterVersionRequest(
    int? Inputs, int? Hidden, int? Outputs, string? Loss, float[]? Weights, Preprocessing? Preprocessing, string[]? Classes,
    string[]? FeatureNames, Dictionary<string, double>? Metrics, string? Dataset, int? ParentVersion);

/// <summary>Why a version is approved or retired: kept on the version and in the audit chain.</summary>
public sealed record StatusChangeRequest(string? Reason);

public sealed record SetAliasRequest(int? Version);

public sealed record VersionWeights(string Model, int Version, int Inputs, int Hidden, int Outputs, float[] Weights);

public sealed record EvaluationResponse(
    long Id, int Version, Guid DatasetId, string DatasetName, double Accuracy, JsonElement Report, string EvaluatedBy,
    DateTimeOffset EvaluatedAt)
{
    public static EvaluationResponse From(EvaluationRecord evaluation)
    {
        using var report = JsonDocument.Parse(evaluation.ReportJson);
        return new EvaluationResponse(
            evaluation.Id, evaluation.Version, evaluation.DatasetId, evaluation.DatasetName, evaluation.Accuracy, report.RootElement.Clone(),
            evaluation.EvaluatedBy, evaluation.EvaluatedAt);
    }
}
