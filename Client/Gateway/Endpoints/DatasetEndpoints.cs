using System.Security.Claims;
using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;
using Galaxy.Registry.PersonalData;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Galaxy.Gateway.Endpoints;

/// <summary>
/// Datasets, <c>/v1/datasets</c>: CSV uploads, streamed straight into the parser (never held whole) and stored once per
/// content; their schemas and class counts; deletion while nothing refers to them. <c>{id}</c> is an id or a name.
/// </summary>
internal static class DatasetEndpoints
{
    public static RouteGroupBuilder MapDatasetEndpoints(this IEndpointRouteBuilder routes)
    {
        var maxUploadBytes = routes.ServiceProvider.GetRequiredService<IOptions<DatasetOptions>>().Value.MaxUploadBytes;
        var datasets = routes.MapGroup("/v1/datasets").WithTags("Datasets").RequireRateLimiting(RateLimitGroups.Models);
        datasets.MapPost("/", Upload).RequireAuthorization(Permissions.WriteDatasets).Audited("dataset.upload", streamedBody: true)
            .WithBodyLimit(maxUploadBytes).Accepts<string>("text/csv").ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("UploadDataset").WithSummary(
                "Uploads a CSV (text/csv; ?name=NAME&label=COLUMN): a header, numeric features, one label column. "
                + "201 when new, 200 when the same content is stored already; 422 personal-data when a column looks like personal data "
                + "and the policy refuses it.");
        datasets.MapGet("/", ListDatasets).RequireAuthorization(Permissions.ReadDatasets)
            .WithName("ListDatasets").WithSummary("Datasets, newest first, in pages.");
        datasets.MapGet("/{id}", GetDataset).RequireAuthorization(Permissions.ReadDatasets)
            .WithName("GetDataset").WithSummary("A dataset's schema, size, content hash and class counts.");
        datasets.MapDelete("/{id}", DeleteDataset).RequireAuthorization(Permissions.DeleteDatasets).Audited("dataset.delete").ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("DeleteDataset").WithSummary("Deletes a dataset; 409 while a version, an evaluation or a training job refers to it.");
        return datasets;
    }

    private static async Task<Results<Created<DatasetResponse>, Ok<DatasetResponse>, ProblemHttpResult>> Upload(
        HttpRequest request, ClaimsPrincipal user, DatasetStore datasets, IOptions<DatasetOptions> options, ILogger<DatasetStore> logger,
        CancellationToken cancellationToken, string? name = null, string? label = null)
    {
        if (!RegistryNames.IsName(name))
        {
            return Problems.InvalidInput(
                "'name' (query) is required: 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.");
        }

        if (string.IsNullOrEmpty(label))
        {
            return Problems.InvalidInput("'label' (query) is required: the name of the label column.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType("text/csv");
        }

        DatasetTable table;
        long bytes;
        try
        {
            (table, bytes) = await CsvDataset.ReadAsync(request.Body, label, options.Value.MaxUploadBytes, cancellationToken, options.Value.Policy());
        }
        catch (PersonalDataException personal)
        {
            GuardianLog.PersonalDataRefused(logger, GuardianClaims.SubjectOf(user), personal.Column, personal.Kind);
            throw;
        }

        var registration = await datasets.RegisterOrReuseAsync(name, table, bytes, GuardianClaims.SubjectOf(user), cancellationToken);
        return registration.IsNew
            ? TypedResults.Created($"/v1/datasets/{registration.Dataset.Id}", registration.Dataset.ToResponse())
            : TypedResults.Ok(registration.Dataset.ToResponse());
    }

    private static async Task<Ok<PageResponse<DatasetResponse>>> ListDatasets(
        DatasetStore datasets, CancellationToken cancellationToken, int offset = 0, int limit = 100) =>
        TypedResults.Ok((await datasets.ListAsync(offset, limit, cancellationToken)).ToResponse(RegistryMapping.ToResponse));

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> GetDataset(
        string id, DatasetStore datasets, CancellationToken cancellationToken) =>
        await datasets.FindAsync(id, cancellationToken) is { } dataset ? TypedResults.Ok(dataset.ToResponse()) : Problems.DatasetNotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteDataset(
        string id, ClaimsPrincipal user, DatasetStore datasets, CancellationToken cancellationToken)
    {
        if (await datasets.FindAsync(id, cancellationToken) is not { } dataset)
        {
            return Problems.DatasetNotFound(id);
        }

        await datasets.DeleteAsync(dataset.Id, GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.NoContent();
    }
}
