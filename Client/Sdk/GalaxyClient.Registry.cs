using System.Globalization;
using System.Text;
using Galaxy.Contracts;
using Polly;

namespace Galaxy.Client;

// The model registry and datasets: /v1/models and /v1/datasets. A model or dataset is named by its id or its name, a
// version by its number, "latest" or an alias.
public sealed partial class GalaxyClient
{
    public Task<ModelResponse> CreateModelAsync(
        string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        SendAsync<ModelResponse>(HttpMethod.Post, "/v1/models", new CreateModelRequest(name, description, Copy(tags)), cancellationToken, safeToRepeat: false);

    /// <summary>
    /// Models whose name contains <paramref name="search"/>, carrying every tag of <paramref name="tags"/>, whose latest
    /// version is in <paramref name="status"/>; by name.
    /// </summary>
    public Task<PageResponse<ModelResponse>> SearchModelsAsync(
        string? search = null, IReadOnlyDictionary<string, string>? tags = null, VersionStatus? status = null, int offset = 0, int limit = 100,
        CancellationToken cancellationToken = default)
    {
        var query = new List<(string, string?)> { ("search", search), ("status", status is { } only ? only.ToWireName() : null) };
        query.AddRange((tags ?? new Dictionary<string, string>()).Select(tag => ("tag", (string?)$"{tag.Key}:{tag.Value}")));
        query.Add(("offset", offset.ToString(CultureInfo.InvariantCulture)));
        query.Add(("limit", limit.ToString(CultureInfo.InvariantCulture)));
        return SendAsync<PageResponse<ModelResponse>>(HttpMethod.Get, "/v1/models" + Query(query), null, cancellationToken);
    }

    public Task<ModelResponse> GetModelAsync(string model, CancellationToken cancellationToken = default) =>
        SendAsync<ModelResponse>(HttpMethod.Get, ModelPath(model), null, cancellationToken);

    /// <summary>Sets what is given: a new description, tags that replace the model's.</summary>
    public Task<ModelResponse> UpdateModelAsync(
        string model, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        SendAsync<ModelResponse>(HttpMethod.Patch, ModelPath(model), new UpdateModelRequest(description, Copy(tags)), cancellationToken);

    /// <summary>Registers weights trained elsewhere as the model's next version, <c>PENDING</c>.</summary>
    public Task<ModelVersionResponse> RegisterVersionAsync(string model, RegisterVersionRequest version, CancellationToken cancellationToken = default) =>
        SendAsync<ModelVersionResponse>(HttpMethod.Post, ModelPath(model) + "/versions", version, cancellationToken, safeToRepeat: false);

    public Task<ModelVersionResponse> GetVersionAsync(string model, string version = "latest", CancellationToken cancellationToken = default) =>
        SendAsync<ModelVersionResponse>(HttpMethod.Get, VersionPath(model, version), null, cancellationToken);

    /// <summary>A model's versions, newest first.</summary>
    public Task<PageResponse<ModelVersionResponse>> ListVersionsAsync(
        string model, VersionStatus? status = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<PageResponse<ModelVersionResponse>>(HttpMethod.Get, ModelPath(model) + "/versions" + Query(
        [
            ("status", status is { } only ? only.ToWireName() : null), ("offset", offset.ToString(CultureInfo.InvariantCulture)),
            ("limit", limit.ToString(CultureInfo.InvariantCulture)),
        ]), null, cancellationToken);

    public Task<VersionWeights> GetWeightsAsync(string model, string version = "latest", CancellationToken cancellationToken = default) =>
        SendAsync<VersionWeights>(HttpMethod.Get, VersionPath(model, version) + "/weights", null, cancellationToken);

    public Task<EvaluationResponse[]> ListEvaluationsAsync(string model, string version = "latest", CancellationToken cancellationToken = default) =>
        SendAsync<EvaluationResponse[]>(HttpMethod.Get, VersionPath(model, version) + "/evaluations", null, cancellationToken);

    /// <summary>
    /// <c>PENDING → APPROVED</c> (CEO and CTO only); a <see cref="GalaxyInvalidRequestException"/> <c>illegal-transition</c>
    /// from any other status.
    /// </summary>
    public Task<ModelVersionResponse> ApproveVersionAsync(string model, string version, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<ModelVersionResponse>(HttpMethod.Post, VersionPath(model, version) + "/approve", new StatusChangeRequest(reason), cancellationToken, safeToRepeat: false);

    public Task<ModelVersionResponse> RetireVersionAsync(string model, string version, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<ModelVersionResponse>(HttpMethod.Post, VersionPath(model, version) + "/retire", new StatusChangeRequest(reason), cancellationToken, safeToRepeat: false);

    public Task<AliasResponse[]> ListAliasesAsync(string model, CancellationToken cancellationToken = default) =>
        SendAsync<AliasResponse[]>(HttpMethod.Get, ModelPath(model) + "/aliases", null, cancellationToken);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, creating or moving it; returns that version.</summary>
    public Task<ModelVersionResponse> SetAliasAsync(string model, string alias, int version, CancellationToken cancellationToken = default) =>
        SendAsync<ModelVersionResponse>(HttpMethod.Put, $"{ModelPath(model)}/aliases/{Uri.EscapeDataString(alias)}", new SetAliasRequest(version), cancellationToken);

    public Task RemoveAliasAsync(string model, string alias, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"{ModelPath(model)}/aliases/{Uri.EscapeDataString(alias)}", null, cancellationToken);

    /// <summary>
    /// Uploads a CSV (a header row; numeric features; <paramref name="labelColumn"/> the label), streamed from
    /// <paramref name="csv"/>, which stays open. The same content uploaded before returns the stored dataset. A seekable
    /// stream is retried from where it started when the gateway says "not now"; any other is sent once.
    /// </summary>
    public Task<DatasetResponse> UploadDatasetAsync(string name, string labelColumn, Stream csv, CancellationToken cancellationToken = default)
    {
        var start = csv.CanSeek ? csv.Position : (long?)null;
        return SendContentAsync<DatasetResponse>(
            HttpMethod.Post, "/v1/datasets" + Query([("name", name), ("label", labelColumn)]),
            () =>
            {
                if (start is { } position)
                {
                    csv.Position = position;
                }

                return new BorrowedStreamContent(csv, "text/csv");
            },
            cancellationToken, signed: true, ifMatchRevision: null, start is null ? ResiliencePipeline<HttpResponseMessage>.Empty : _retry);
    }

    /// <summary>Datasets, newest first.</summary>
    public Task<PageResponse<DatasetResponse>> ListDatasetsAsync(int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<PageResponse<DatasetResponse>>(HttpMethod.Get, "/v1/datasets" + Query(
            [("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture))]), null, cancellationToken);

    public Task<DatasetResponse> GetDatasetAsync(string dataset, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetResponse>(HttpMethod.Get, $"/v1/datasets/{Uri.EscapeDataString(dataset)}", null, cancellationToken);

    /// <summary>Deletes a dataset; <c>dataset-in-use</c> (409) while a version, an evaluation or a training job refers to it.</summary>
    public Task DeleteDatasetAsync(string dataset, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/datasets/{Uri.EscapeDataString(dataset)}", null, cancellationToken);

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string>? tags) =>
        tags is null ? null : new Dictionary<string, string>(tags);

    private static string ModelPath(string model) => $"/v1/models/{Uri.EscapeDataString(model)}";

    private static string VersionPath(string model, string version) => $"{ModelPath(model)}/versions/{Uri.EscapeDataString(version)}";

    /// <summary><c>?a=1&amp;b=2</c> of the parameters that have a value, escaped.</summary>
    private static string Query(IEnumerable<(string Name, string? Value)> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return query.ToString();
    }
}
