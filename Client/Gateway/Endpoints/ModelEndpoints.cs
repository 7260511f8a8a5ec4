using System.Security.Claims;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Contracts;
using Galaxy.Registry;
using VersionStatus = Galaxy.Registry.VersionStatus;
using VersionStatusNames = Galaxy.Registry.VersionStatusNames;

namespace Galaxy.Gateway.Endpoints;

/// <summary>
/// The model registry, <c>/v1/models</c>: models, their versions (registered here or by training), approval and
/// retirement, aliases, weights and evaluations. <c>{id}</c> is a model's id or name; <c>{v}</c> a version number,
/// <c>latest</c> or an alias. The registry audits each change it makes; these routes add the request's own row.
/// </summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder routes)
    {
        var models = routes.MapGroup("/v1/models").WithTags("Models").RequireRateLimiting(RateLimitGroups.Models);
        models.MapPost("/", CreateModel).RequireAuthorization(Permissions.WriteModels).Audited("model.create").ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateModel").WithSummary("A new model: a unique name, a description and tags.");
        models.MapGet("/", SearchModels).RequireAuthorization(Permissions.ReadModels)
            .WithName("SearchModels").WithSummary(
                "Models by name substring, tags (tag=key:value, all must match) and their latest version's status; by name, in pages.");
        models.MapGet("/{id}", GetModel).RequireAuthorization(Permissions.ReadModels)
            .WithName("GetModel").WithSummary("A model, its aliases and its latest version's status.");
        models.MapPatch("/{id}", UpdateModel).RequireAuthorization(Permissions.WriteModels).Audited("model.update")
            .WithName("UpdateModel").WithSummary("A new description, or tags that replace the model's.");

        var versions = models.MapGroup("/{id}/versions");
        versions.MapPost("/", RegisterVersion).RequireAuthorization(Permissions.WriteModels).Audited("model.version.register")
            .WithName("RegisterVersion").WithSummary("Registers weights trained elsewhere as the next version, PENDING.");
        versions.MapGet("/", ListVersions).RequireAuthorization(Permissions.ReadModels)
            .WithName("ListVersions").WithSummary("A model's versions, newest first, optionally of one status.");
        versions.MapGet("/{v}", GetVersion).RequireAuthorization(Permissions.ReadModels)
            .WithName("GetVersion").WithSummary("A version (number, latest or alias): architecture, preprocessing, metrics, lineage, status; not its weights.");
        versions.MapGet("/{v}/weights", GetWeights).RequireAuthorization(Permissions.ReadModels)
            .WithName("GetWeights").WithSummary("A version's packed weights: W1 | b1 | W2 | b2, row-major.");
        versions.MapGet("/{v}/evaluations", ListEvaluations).RequireAuthorization(Permissions.ReadModels)
            .WithName("ListEvaluations").WithSummary("A version's evaluations on datasets, newest first.");
        versions.MapPost("/{v}/approve", Approve).RequireAuthorization(Permissions.ApproveModels).Audited("model.version.approve").ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("ApproveVersion").WithSummary("PENDING → APPROVED; 409 from any other status.");
        versions.MapPost("/{v}/retire", Retire).RequireAuthorization(Permissions.RetireModels).Audited("model.version.retire").ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("RetireVersion").WithSummary("→ RETIRED, from any status but RETIRED.");

        var aliases = models.MapGroup("/{id}/aliases");
        aliases.MapGet("/", ListAliases).RequireAuthorization(Permissions.ReadModels)
            .WithName("ListAliases").WithSummary("A model's aliases and the version each names.");
        aliases.MapPut("/{alias}", SetAlias).RequireAuthorization(Permissions.WriteModels).Audited("model.alias.put")
            .WithName("SetAlias").WithSummary("Points an alias at a version, creating or moving it in one step.");
        aliases.MapDelete("/{alias}", RemoveAlias).RequireAuthorization(Permissions.WriteModels).Audited("model.alias.delete")
            .WithName("RemoveAlias").WithSummary("Removes an alias.");
        return models;
    }

    private static async Task<Results<Created<ModelResponse>, ProblemHttpResult>> CreateModel(
        CreateModelRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var model = await registry.CreateModelAsync(
            request.Name ?? "", request.Description ?? "", request.Tags ?? [], GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.Created($"/v1/models/{model.Name}", model.ToResponse());
    }

    private static async Task<Results<Ok<PageResponse<ModelResponse>>, ProblemHttpResult>> SearchModels(
        ModelRegistry registry, CancellationToken cancellationToken,
        string? search = null, string[]? tag = null, string? status = null, int offset = 0, int limit = 100)
    {
        var tags = new Dictionary<string, string>();
        foreach (var pair in tag ?? [])
        {
            if (pair.Split(':', 2) is not [{ Length: > 0 } key, var value])
            {
                return Problems.InvalidInput("'tag' is key:value, e.g. tag=team:vision; give it once per tag.");
            }

            tags[key] = value;
        }

        VersionStatus? latestStatus = null;
        if (status is not null)
        {
            if (!VersionStatusNames.TryParse(status, out var parsed))
            {
                return InvalidStatus();
            }

            latestStatus = parsed;
        }

        var page = await registry.SearchModelsAsync(new ModelQuery(search, tags, latestStatus, offset, limit), cancellationToken);
        return TypedResults.Ok(page.ToResponse(RegistryMapping.ToResponse));
    }

    private static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> GetModel(string id, ModelRegistry registry, CancellationToken cancellationToken) =>
        await registry.FindModelAsync(id, cancellationToken) is { } model ? TypedResults.Ok(model.ToResponse()) : Problems.ModelNotFound(id);

    private static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> UpdateModel(
        string id, UpdateModelRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken)
    {
        if (await registry.FindModelAsync(id, cancellationToken) is not { } model)
        {
            return Problems.ModelNotFound(id);
        }

        var updated = await registry.UpdateModelAsync(model.Id, request.Description, request.Tags, GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.Ok(updated.ToResponse());
    }

    private static async Task<Results<Created<ModelVersionResponse>, ProblemHttpResult>> RegisterVersion(
        string id, RegisterVersionRequest request, ClaimsPrincipal user, ModelRegistry registry, DatasetStore datasets,
        CancellationToken cancellationToken)
    {
        if (await registry.FindModelAsync(id, cancellationToken) is not { } model)
        {
            return Problems.ModelNotFound(id);
        }

        if (request is not { Inputs: { } inputs, Hidden: { } hidden, Outputs: { } outputs, Loss: { } loss, Weights: { } weights })
        {
            return Problems.InvalidInput("'inputs', 'hidden', 'outputs', 'loss' and 'weights' are required.");
        }

        Guid? datasetId = null;
        if (request.Dataset is { } dataset)
        {
            if (await datasets.FindAsync(dataset, cancellationToken) is not { } found)
            {
                return Problems.DatasetNotFound(dataset);
            }

            datasetId = found.Id;
        }

        // Without preprocessing, raw features; an impossible width gets none, and the registry refuses the architecture.
        var preprocessing = request.Preprocessing?.FromContract() ?? Preprocessing.Identity(inputs is >= 1 and <= CsvDataset.MaxFeatures ? inputs : 0);
        var version = new NewModelVersion(
            inputs, hidden, outputs, loss, weights, preprocessing,
            request.Classes ?? [], request.FeatureNames ?? [], request.Metrics ?? [],
            new VersionLineage(null, datasetId, null, request.ParentVersion, "registered"));
        var created = await registry.CreateVersionAsync(model.Id, version, GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.Created($"/v1/models/{model.Name}/versions/{created.Version}", created.ToResponse());
    }

    private static async Task<Results<Ok<PageResponse<ModelVersionResponse>>, ProblemHttpResult>> ListVersions(
        string id, ModelRegistry registry, CancellationToken cancellationToken, string? status = null, int offset = 0, int limit = 100)
    {
        VersionStatus? only = null;
        if (status is not null)
        {
            if (!VersionStatusNames.TryParse(status, out var parsed))
            {
                return InvalidStatus();
            }

            only = parsed;
        }

        return await registry.FindModelAsync(id, cancellationToken) is { } model
            ? TypedResults.Ok((await registry.ListVersionsAsync(model.Id, only, offset, limit, cancellationToken)).ToResponse(RegistryMapping.ToResponse))
            : Problems.ModelNotFound(id);
    }

    private static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> GetVersion(
        string id, string v, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var (version, problem) = await FindVersionAsync(registry, id, v, cancellationToken);
        return version is null ? problem! : TypedResults.Ok(version.ToResponse());
    }

    private static async Task<Results<Ok<VersionWeights>, ProblemHttpResult>> GetWeights(
        string id, string v, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var (version, problem) = await FindVersionAsync(registry, id, v, cancellationToken);
        if (version is null)
        {
            return problem!;
        }

        var weights = await registry.LoadWeightsAsync(version.ModelId, version.Version, cancellationToken);
        return TypedResults.Ok(new VersionWeights(version.ModelName, version.Version, version.Inputs, version.Hidden, version.Outputs, weights));
    }

    private static async Task<Results<Ok<EvaluationResponse[]>, ProblemHttpResult>> ListEvaluations(
        string id, string v, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var (version, problem) = await FindVersionAsync(registry, id, v, cancellationToken);
        if (version is null)
        {
            return problem!;
        }

        var evaluations = await registry.ListEvaluationsAsync(version.ModelId, version.Version, cancellationToken);
        return TypedResults.Ok(evaluations.Select(RegistryMapping.ToResponse).ToArray());
    }

    private static Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> Approve(
        string id, string v, StatusChangeRequest? request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, v, VersionStatus.Approved, request?.Reason, user, registry, cancellationToken);

    private static Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> Retire(
        string id, string v, StatusChangeRequest? request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, v, VersionStatus.Retired, request?.Reason, user, registry, cancellationToken);

    private static async Task<Results<Ok<AliasResponse[]>, ProblemHttpResult>> ListAliases(
        string id, ModelRegistry registry, CancellationToken cancellationToken) =>
        await registry.FindModelAsync(id, cancellationToken) is { } model
            ? TypedResults.Ok((await registry.ListAliasesAsync(model.Id, cancellationToken)).Select(RegistryMapping.ToResponse).ToArray())
            : Problems.ModelNotFound(id);

    private static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> SetAlias(
        string id, string alias, SetAliasRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken)
    {
        if (request.Version is not { } version)
        {
            return Problems.InvalidInput("'version' is required: the number of the version the alias names.");
        }

        return await registry.FindModelAsync(id, cancellationToken) is { } model
            ? TypedResults.Ok((await registry.SetAliasAsync(model.Id, alias, version, GuardianClaims.SubjectOf(user), cancellationToken)).ToResponse())
            : Problems.ModelNotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAlias(
        string id, string alias, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken)
    {
        if (await registry.FindModelAsync(id, cancellationToken) is not { } model)
        {
            return Problems.ModelNotFound(id);
        }

        await registry.RemoveAliasAsync(model.Id, alias, GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ModelVersionResponse>, ProblemHttpResult>> ChangeStatusAsync(
        string id, string v, VersionStatus to, string? reason, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var (version, problem) = await FindVersionAsync(registry, id, v, cancellationToken);
        if (version is null)
        {
            return problem!;
        }

        var changed = await registry.ChangeStatusAsync(version.ModelId, version.Version, to, GuardianClaims.SubjectOf(user), reason, cancellationToken);
        return TypedResults.Ok(changed.ToResponse());
    }

    /// <summary>
    /// The version <paramref name="v"/> (number, latest or alias) of model <paramref name="id"/> (id or name), or the 404
    /// that says which is missing.
    /// </summary>
    private static async Task<(ModelVersion? Version, ProblemHttpResult? Problem)> FindVersionAsync(
        ModelRegistry registry, string id, string v, CancellationToken cancellationToken)
    {
        if (await registry.FindModelAsync(id, cancellationToken) is not { } model)
        {
            return (null, Problems.ModelNotFound(id));
        }

        return await registry.FindVersionAsync(model.Id, v, cancellationToken) is { } version
            ? (version, null)
            : (null, Problems.VersionNotFound(model.Name, v));
    }

    private static ProblemHttpResult InvalidStatus() =>
        Problems.InvalidInput("'status' is one of PENDING, APPROVED, DEPLOYED, ROLLED_BACK, RETIRED.");
}
