using System.Text.Json;
using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;
using Galaxy.Registry.Training;
using Galaxy.Training;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Training;

/// <summary>
/// Training jobs: submit one (it trains in a silo's <c>ITrainingJobGrain</c>), list them, follow one (as JSON or as a
/// Server-Sent Events stream), cancel one; and score a registered version on a registered dataset.
/// </summary>
internal static class TrainingEndpoints
{
    /// <summary>How long one wait for a job's next change may take: well inside the cluster's response timeout.</summary>
    private static readonly TimeSpan EventPoll = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder MapTrainingEndpoints(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/v1/training/jobs").WithTags("Training");
        jobs.MapPost("/", Submit).RequireAuthorization(Permissions.Train).RequireRateLimiting(RateLimitGroups.Training).Audited("training.job.submit")
            .WithName("SubmitTrainingJob").WithSummary("Train a population of candidates; the best becomes a PENDING version.");
        jobs.MapGet("/", List).RequireAuthorization(Permissions.ReadTraining)
            .WithName("ListTrainingJobs").WithSummary("Training jobs, newest first, by status and model.");
        jobs.MapGet("/{id}", Get).RequireAuthorization(Permissions.ReadTraining)
            .WithName("GetTrainingJob").WithSummary("A job's status, progress, per-epoch metrics, candidates, cost and version.");
        jobs.MapGet("/{id}/events", Events).RequireAuthorization(Permissions.ReadTraining)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithName("StreamTrainingJob").WithSummary("A job's progress as Server-Sent Events, until it ends.");
        jobs.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Permissions.Train).Audited("training.job.cancel")
            .WithName("CancelTrainingJob").WithSummary("Stop a queued or running job.");

        routes.MapPost("/v1/models/{id}/versions/{v}/evaluate", Evaluate).WithTags("Models")
            .RequireAuthorization(Permissions.WriteModels).RequireRateLimiting(RateLimitGroups.Models).Audited("model.version.evaluate")
            .WithName("EvaluateVersion").WithSummary("Accuracy, per-class precision and recall and the confusion matrix on a dataset; recorded on the version.");
        return jobs;
    }

    private static async Task<Results<Accepted<TrainingJobResponse>, ProblemHttpResult>> Submit(
        TrainingJobSpec body, HttpContext context, ModelRegistry registry, DatasetStore datasets, IClusterClient cluster,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Model) || string.IsNullOrWhiteSpace(body.Dataset))
        {
            return Problems.InvalidInput("'model' and 'dataset' are required: a model's name or id and a dataset's name or id.");
        }

        var (recipe, problems) = TrainingMapping.ToRecipe(body);
        if (problems.Count > 0)
        {
            return Problems.InvalidTrainingRequest(string.Join(" ", problems));
        }

        var model = await registry.FindModelAsync(body.Model, cancellationToken);
        if (model is null)
        {
            return Problems.ModelNotFound(body.Model);
        }

        var dataset = await datasets.FindAsync(body.Dataset, cancellationToken);
        if (dataset is null)
        {
            return Problems.DatasetNotFound(body.Dataset);
        }

        if (DatasetProblem(dataset, body.LabelColumn) is { } datasetProblem)
        {
            return Problems.InvalidTrainingRequest(datasetProblem);
        }

        var id = Guid.CreateVersion7();
        var request = new TrainingJobRequest(
            model.Id, model.Name, dataset.Id, dataset.Name, recipe.ToSpec(), GuardianClaims.SubjectOf(context.User), clock.GetUtcNow());
        var job = await cluster.GetGrain<ITrainingJobGrain>(id).Submit(request);
        return TypedResults.Accepted($"/v1/training/jobs/{id}", job.ToResponse());
    }

    internal static async Task<Results<Ok<PageResponse<TrainingJobSummary>>, ProblemHttpResult>> List(
        TrainingJobStore jobs, ModelRegistry registry, CancellationToken cancellationToken,
        string? status = null, string? model = null, int offset = 0, int limit = 100)
    {
        var statusName = status?.ToUpperInvariant();
        if (statusName is not (null or "QUEUED" or "RUNNING" or "SUCCEEDED" or "FAILED" or "CANCELLED"))
        {
            return Problems.InvalidInput("'status' must be QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.");
        }

        if (offset < 0 || limit is < 1 or > Paging.MaxLimit)
        {
            return Problems.InvalidInput($"'offset' must be ≥ 0 and 'limit' in 1…{Paging.MaxLimit}.");
        }

        Guid? modelId = null;
        if (model is not null)
        {
            modelId = (await registry.FindModelAsync(model, cancellationToken))?.Id;
            if (modelId is null)
            {
                return Problems.ModelNotFound(model);
            }
        }

        var page = await jobs.ListAsync(statusName, modelId, offset, limit, cancellationToken);
        return TypedResults.Ok(new PageResponse<TrainingJobSummary>(page.Items.Select(row => row.ToSummary()).ToArray(), page.Offset, page.Limit, page.Total));
    }

    private static async Task<Results<Ok<TrainingJobResponse>, ProblemHttpResult>> Get(string id, IClusterClient cluster) =>
        Guid.TryParse(id, out var jobId)
            ? TypedResults.Ok((await cluster.GetGrain<ITrainingJobGrain>(jobId).GetState()).ToResponse())
            : NoSuchJob(id);

    private static async Task<Results<Ok<TrainingJobResponse>, ProblemHttpResult>> Cancel(string id, HttpContext context, IClusterClient cluster) =>
        Guid.TryParse(id, out var jobId)
            ? TypedResults.Ok((await cluster.GetGrain<ITrainingJobGrain>(jobId).Cancel(GuardianClaims.SubjectOf(context.User))).ToResponse())
            : NoSuchJob(id);

    /// <summary>
    /// <c>progress</c> events (the job's figures, at every change and at most every second while it trains), then one
    /// <c>end</c> event with the whole job once it has finished. Each event's id is the job's revision.
    /// </summary>
    private static async Task<IResult> Events(string id, HttpContext context, IClusterClient cluster, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return NoSuchJob(id);
        }

        var grain = cluster.GetGrain<ITrainingJobGrain>(jobId);
        var job = await grain.GetState();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var serializer = json.Value.SerializerOptions;
        var (revision, progress) = (-1L, -1.0);
        try
        {
            while (true)
            {
                if (job.IsFinished)
                {
                    await WriteEventAsync(response, "end", job.Revision, job.ToResponse(), serializer, cancellationToken);
                    return Results.Empty;
                }

                if (job.Revision != revision || job.Progress != progress)
                {
                    (revision, progress) = (job.Revision, job.Progress);
                    await WriteEventAsync(response, "progress", job.Revision, Progress(job), serializer, cancellationToken);
                }

                job = await grain.WaitForChange(revision, EventPoll);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
            return Results.Empty;
        }
    }

    private static async Task<Results<Ok<VersionEvaluationResponse>, ProblemHttpResult>> Evaluate(
        string id, string v, EvaluateRequest body, HttpContext context, ModelRegistry registry, DatasetStore datasets,
        IClusterClient cluster, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Dataset))
        {
            return Problems.InvalidInput("'dataset' is required: a registered dataset's name or id.");
        }

        var model = await registry.FindModelAsync(id, cancellationToken);
        if (model is null)
        {
            return Problems.ModelNotFound(id);
        }

        var found = await registry.FindVersionAsync(model.Id, v, cancellationToken);
        if (found is null)
        {
            return Problems.VersionNotFound(model.Name, v);
        }

        var dataset = await datasets.FindAsync(body.Dataset, cancellationToken);
        if (dataset is null)
        {
            return Problems.DatasetNotFound(body.Dataset);
        }

        var evaluation = await cluster.GetGrain<IModelEvaluationGrain>(0)
            .Evaluate(model.Id, found.Version, dataset.Id, GuardianClaims.SubjectOf(context.User));
        return TypedResults.Ok(new VersionEvaluationResponse(
            new NamedReference(model.Id, model.Name),
            found.Version,
            new NamedReference(dataset.Id, dataset.Name),
            evaluation.Rows,
            evaluation.Accuracy,
            evaluation.PerClass.Select(c => new ClassMetricsResponse(c.Class, c.Precision, c.Recall, c.Support)).ToArray(),
            evaluation.Confusion,
            evaluation.EvaluatedAt));
    }

    private static ProblemHttpResult NoSuchJob(string id) => Problems.TrainingJobNotFound($"No training job has the id '{id}'.");

    /// <summary>What a dataset must be for the recipe to train a classifier on it, checked before a job is queued.</summary>
    private static string? DatasetProblem(DatasetInfo dataset, string? labelColumn)
    {
        if (labelColumn is not null && labelColumn != dataset.LabelColumn)
        {
            return $"Dataset {dataset.Name} is labelled by its column '{dataset.LabelColumn}', not '{labelColumn}'.";
        }

        if (dataset.FeatureNames.Length > Kernels.MlpArchitecture.MaxDimension)
        {
            return $"Dataset {dataset.Name} has {dataset.FeatureNames.Length} features; a unit model takes at most {Kernels.MlpArchitecture.MaxDimension}.";
        }

        return dataset.ClassCounts.Count is < 2 or > Kernels.MlpArchitecture.MaxDimension
            ? $"Dataset {dataset.Name} has {dataset.ClassCounts.Count} classes; a classifier needs 2…{Kernels.MlpArchitecture.MaxDimension}."
            : null;
    }

    private static TrainingProgress Progress(TrainingJobState job) => new(
        job.JobId,
        TrainingMapping.StatusName(job.Status),
        job.Progress,
        job.EpochsDone,
        job.Request!.Recipe.Epochs,
        job.History.Count > 0 ? job.History[^1].BestValidationAccuracy : null,
        job.DeviceSeconds,
        job.CostUsd,
        job.Revision);

    private static async Task WriteEventAsync(
        HttpResponse response, string name, long id, object data, JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\nid: {id}\ndata: {JsonSerializer.Serialize(data, serializer)}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
