using System.Text.Json;
using Galaxy.Contracts;
using Galaxy.Registry;
using RegistryStatus = Galaxy.Registry.VersionStatus;
using WireStatus = Galaxy.Contracts.VersionStatus;

namespace Galaxy.Gateway.Endpoints;

/// <summary>From the registry's records to what <c>/v1/models</c> and <c>/v1/datasets</c> answer.</summary>
internal static class RegistryMapping
{
    public static WireStatus ToContract(this RegistryStatus status) => status switch
    {
        RegistryStatus.Pending => WireStatus.Pending,
        RegistryStatus.Approved => WireStatus.Approved,
        RegistryStatus.Deployed => WireStatus.Deployed,
        RegistryStatus.RolledBack => WireStatus.RolledBack,
        RegistryStatus.Retired => WireStatus.Retired,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No such version status."),
    };

    public static ModelResponse ToResponse(this ModelInfo model) => new(
        model.Id, model.Name, model.Description, model.Tags, model.Aliases, model.LatestVersion, model.LatestStatus?.ToContract(),
        model.CreatedBy, model.CreatedAt, model.UpdatedAt);

    public static ModelVersionResponse ToResponse(this ModelVersion version) => new(
        version.ModelId, version.ModelName, version.Version, version.Status.ToContract(), version.Inputs, version.Hidden, version.Outputs,
        version.Loss, version.Preprocessing.ToContract(), version.Classes, version.FeatureNames, version.Metrics,
        new LineageResponse(
            version.Lineage.TrainingJobId, version.Lineage.DatasetId, version.Lineage.DatasetSha256, version.Lineage.ParentVersion,
            version.Lineage.Technique)
        {
            Settings = version.Lineage.Settings,
            ServesInt8 = version.Lineage.ServesInt8,
        },
        version.Aliases, version.CreatedBy, version.CreatedAt, version.StatusChangedAt, version.StatusReason);

    public static InputPreprocessing ToContract(this Preprocessing preprocessing) => new(preprocessing.Offsets, preprocessing.Scales);

    public static Preprocessing FromContract(this InputPreprocessing preprocessing) => new(preprocessing.Offsets, preprocessing.Scales);

    public static AliasResponse ToResponse(this ModelAlias alias) => new(alias.Alias, alias.Version, alias.UpdatedBy, alias.UpdatedAt);

    public static EvaluationResponse ToResponse(this EvaluationRecord evaluation)
    {
        using var report = JsonDocument.Parse(evaluation.ReportJson);
        return new EvaluationResponse(
            evaluation.Id, evaluation.Version, evaluation.DatasetId, evaluation.DatasetName, evaluation.Accuracy, report.RootElement.Clone(),
            evaluation.EvaluatedBy, evaluation.EvaluatedAt);
    }

    public static DatasetResponse ToResponse(this DatasetInfo dataset) => new(
        dataset.Id, dataset.Name, dataset.Sha256, dataset.LabelColumn, dataset.FeatureNames, dataset.Rows, dataset.Bytes, dataset.ClassCounts,
        dataset.CreatedBy, dataset.CreatedAt,
        dataset.PersonalData.Select(finding => new PersonalDataFindingResponse(finding.Column, finding.Kind, finding.Line, finding.Action)).ToArray(),
        dataset.Encrypted);

    public static PageResponse<TResponse> ToResponse<T, TResponse>(this Page<T> page, Func<T, TResponse> map) =>
        new(page.Items.Select(map).ToArray(), page.Offset, page.Limit, page.Total);
}
