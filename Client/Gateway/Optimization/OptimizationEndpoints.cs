using System.Security.Claims;
using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Optimization;
using Galaxy.Registry;

namespace Galaxy.Gateway.Optimization;

/// <summary>
/// Optimization (the seed's <c>/optimization/analyze</c> and <c>optimizeModel</c>): analyse what int8, structured
/// pruning, distillation and their combination would keep of a version, and make a chosen result a new PENDING
/// version, which Guardian checks and deploys like any other. The work runs in a silo's <c>IOptimizationGrain</c>.
/// </summary>
internal static class OptimizationEndpoints
{
    private const int DefaultFineTuneEpochs = 20;
    private const int DefaultDistillEpochs = 60;
    private const int DefaultEnsembleSize = 4;

    public static IEndpointRouteBuilder MapOptimizationEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/optimization/analyze", Analyze).WithTags("Optimization")
            .RequireAuthorization(Permissions.Optimize).RequireRateLimiting(RateLimitGroups.Optimization).Audited("optimization.analyze")
            .WithName("AnalyzeOptimizations")
            .WithSummary("For a version: each technique's validation accuracy, kept ratio, parameter bytes and forward rows/s on the serving backend.");
        routes.MapPost("/v1/models/{id}/versions/{v}/optimize", Optimize).WithTags("Optimization")
            .RequireAuthorization(Permissions.Optimize).RequireRateLimiting(RateLimitGroups.Optimization).Audited("model.version.optimize")
            .WithName("OptimizeVersion")
            .WithSummary("Registers a technique's result as the next version, PENDING, with lineage to this one (the seed's optimizeModel).");
        return routes;
    }

    private static async Task<Results<Ok<OptimizationAnalysisResponse>, ProblemHttpResult>> Analyze(
        AnalyzeBody body, ModelRegistry registry, DatasetStore datasets, IClusterClient cluster, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Model))
        {
            return Problems.InvalidInput("'model' is required: a model's name or id.");
        }

        var (version, problem) = await FindVersionAsync(registry, body.Model, body.Version ?? "latest", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var settings = new AnalysisSettings(
            body.FineTuneEpochs ?? DefaultFineTuneEpochs, body.DistillEpochs ?? DefaultDistillEpochs, body.StudentHidden, body.EnsembleSize ?? DefaultEnsembleSize);
        if (SettingsProblems(settings, version!) is { Count: > 0 } problems)
        {
            return Problems.InvalidOptimization(string.Join(" ", problems));
        }

        var (datasetId, datasetProblem) = await DatasetAsync(datasets, body.Dataset, cancellationToken);
        if (datasetProblem is not null)
        {
            return datasetProblem;
        }

        var analysis = await cluster.GetGrain<IOptimizationGrain>(0).Analyze(new OptimizationTarget(version!.ModelId, version.Version, datasetId), settings);
        return TypedResults.Ok(analysis.ToResponse());
    }

    /// <summary>The optimize route's handler, which GraphQL's <c>optimizeModel</c> calls too.</summary>
    internal static async Task<Results<Created<OptimizedVersionResponse>, ProblemHttpResult>> Optimize(
        string id, string v, OptimizeBody body, ClaimsPrincipal user, ModelRegistry registry, DatasetStore datasets, IClusterClient cluster,
        CancellationToken cancellationToken)
    {
        var (version, problem) = await FindVersionAsync(registry, id, v, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (plan, planProblems) = ToPlan(body, version!);
        if (planProblems.Count > 0)
        {
            return Problems.InvalidOptimization(string.Join(" ", planProblems));
        }

        var (datasetId, datasetProblem) = await DatasetAsync(datasets, body.Dataset, cancellationToken);
        if (datasetProblem is not null)
        {
            return datasetProblem;
        }

        var optimized = await cluster.GetGrain<IOptimizationGrain>(0)
            .Optimize(new OptimizationTarget(version!.ModelId, version.Version, datasetId), plan!, GuardianClaims.SubjectOf(user));
        var created = await registry.FindVersionAsync(optimized.ModelId, optimized.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return TypedResults.Created($"/v1/models/{version.ModelName}/versions/{optimized.Version}", new OptimizedVersionResponse(created!.ToResponse(), optimized.Outcome.ToResponse()));
    }

    /// <summary>The body's plan: a preset's settings, overridden by the fields given; and every problem with it for this version.</summary>
    internal static (OptimizationPlanSpec? Plan, IReadOnlyList<string> Problems) ToPlan(OptimizeBody body, ModelVersion version)
    {
        var preset = body.Technique?.ToLowerInvariant() switch
        {
            null => new OptimizationPlan(),
            "int8" => new OptimizationPlan { Int8 = true },
            "prune" => new OptimizationPlan { PruneFraction = 0.5, FineTuneEpochs = DefaultFineTuneEpochs },
            "distill" => new OptimizationPlan { StudentHidden = Math.Max(1, version.Hidden / 4), DistillEpochs = DefaultDistillEpochs },
            "combined" => new OptimizationPlan { PruneFraction = 0.5, FineTuneEpochs = DefaultFineTuneEpochs, Int8 = true },
            _ => null,
        };
        if (preset is null)
        {
            return (null, ["'technique' must be int8, prune, distill or combined (or omitted, with the plan's fields given)."]);
        }

        var plan = preset with
        {
            StudentHidden = body.StudentHidden ?? preset.StudentHidden,
            Teacher = body.EnsembleTeacher is { } ensemble ? (ensemble ? TeacherKind.Ensemble : TeacherKind.Version) : preset.Teacher,
            EnsembleSize = body.EnsembleSize ?? preset.EnsembleSize,
            DistillEpochs = body.DistillEpochs ?? preset.DistillEpochs,
            PruneFraction = body.PruneFraction ?? preset.PruneFraction,
            FineTuneEpochs = body.FineTuneEpochs ?? preset.FineTuneEpochs,
            Int8 = body.Int8 ?? preset.Int8,
        };

        // The population is the silo's to find: the ensemble's need of one is checked there.
        var problems = plan.Problems(Architecture(version), IsClassifier(version), populationSize: int.MaxValue);
        return (new OptimizationPlanSpec(
            plan.StudentHidden, plan.Teacher == TeacherKind.Ensemble, plan.EnsembleSize, plan.DistillEpochs, plan.PruneFraction, plan.FineTuneEpochs,
            plan.Int8), problems);
    }

    private static List<string> SettingsProblems(AnalysisSettings settings, ModelVersion version)
    {
        var problems = new List<string>();
        if (settings.FineTuneEpochs is < 0 or > OptimizationPlan.MaxEpochs || settings.DistillEpochs is < 1 or > OptimizationPlan.MaxEpochs)
        {
            problems.Add($"fineTuneEpochs must lie in 0…{OptimizationPlan.MaxEpochs} and distillEpochs in 1…{OptimizationPlan.MaxEpochs}.");
        }

        if (settings.StudentHidden is { } student && (student < 1 || student >= version.Hidden))
        {
            problems.Add($"studentHidden must be at least 1 and smaller than its teacher's {version.Hidden} hidden units; a student of {student} is not.");
        }

        if (settings.EnsembleSize is < 1 or > OptimizationPlan.MaxEnsemble)
        {
            problems.Add($"ensembleSize must lie in 1…{OptimizationPlan.MaxEnsemble}.");
        }

        if (!IsClassifier(version))
        {
            problems.Add($"Version {version.Version} of {version.ModelName} is not a classifier trained with cross-entropy; every technique is judged by accuracy.");
        }

        return problems;
    }

    private static bool IsClassifier(ModelVersion version) =>
        version.Loss == nameof(Kernels.LossKind.CrossEntropy) && version.Classes.Length == version.Outputs;

    private static Kernels.MlpArchitecture Architecture(ModelVersion version) => new(version.Inputs, version.Hidden, version.Outputs);

    private static async Task<(ModelVersion? Version, ProblemHttpResult? Problem)> FindVersionAsync(
        ModelRegistry registry, string model, string v, CancellationToken cancellationToken)
    {
        var found = await registry.FindModelAsync(model, cancellationToken);
        if (found is null)
        {
            return (null, Problems.ModelNotFound(model));
        }

        return await registry.FindVersionAsync(found.Id, v, cancellationToken) is { } version
            ? (version, null)
            : (null, Problems.VersionNotFound(found.Name, v));
    }

    private static async Task<(Guid? Id, ProblemHttpResult? Problem)> DatasetAsync(DatasetStore datasets, string? dataset, CancellationToken cancellationToken)
    {
        if (dataset is null)
        {
            return (null, null);
        }

        return await datasets.FindAsync(dataset, cancellationToken) is { } found ? (found.Id, null) : (null, Problems.DatasetNotFound(dataset));
    }
}
