using System.Diagnostics;
using Galaxy.Contracts;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;

namespace Galaxy.Gateway.Inference;

/// <summary>
/// Inference by model: each request goes to a unit that serves the model (<see cref="ModelRoutes"/>), whose labscape
/// batches it like any predict; the answer names the unit and the version. Feedback on an answer counts toward its
/// version's accuracy (which canary analyses judge) and, for a model tagged <c>learn-from-feedback: true</c>, teaches the
/// unit that answered (a durable learn, like any).
/// </summary>
internal static class InferenceEndpoints
{
    public const string LearnFromFeedbackTag = "learn-from-feedback";

    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder routes)
    {
        var models = routes.MapGroup("/v1/models/{id}").WithTags("Inference").RequireRateLimiting(RateLimitGroups.Inference)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        models.MapPost("/inference", Infer).RequireAuthorization(Permissions.Predict)
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("InferByModel").WithSummary("An answer from a unit serving the model (stable or canary, as the rollout shares them).");
        models.MapPost("/feedback", Feedback).RequireAuthorization(Permissions.Predict)
            .WithName("InferenceFeedback").WithSummary("The true label of an answered request: counts toward its version's accuracy, and may teach the unit.");
        return routes;
    }

    private static async Task<Results<Ok<InferenceResponse>, ProblemHttpResult>> Infer(
        string id, InferenceRequest request, ModelDirectory models, ModelRoutes routes, InferenceMonitor monitor, InferenceLog log,
        IClusterClient cluster)
    {
        var timeoutProblem = RequestChecks.Timeout(request.TimeoutMs, out var timeout);
        if ((RequestChecks.Vector(request.Features, "features") ?? timeoutProblem) is { } problem)
        {
            return problem;
        }

        var model = await models.FindAsync(id);
        if (model is null)
        {
            return Problems.ModelNotFound(id);
        }

        // A labscape may switch what it serves between the route's refresh and the answer: the answer names the version
        // that computed it, and one from another model is asked again on fresh routes.
        for (var attempt = 0; ; attempt++)
        {
            var served = await routes.ForAsync(model, refresh: attempt > 0);
            if (served.Units == 0)
            {
                return Problems.Conflict("model-not-served", "No unit serves the model", $"No labscape serves {model.Name}: deploy a version first.");
            }

            var (unit, expected) = served.Pick();
            var routed = await routes.VersionAsync(model.Id, expected.Version);
            if (routed is not null && request.Features!.Length != routed.Inputs)
            {
                return Problems.InvalidInput($"{expected.Key} takes {routed.Inputs} features, not {request.Features.Length}.");
            }

            var started = Stopwatch.GetTimestamp();
            ServedOutput answer;
            try
            {
                answer = await cluster.GetUnit(unit).Infer(request.Features!, timeout);
            }
            catch (InvalidUnitInputException) when (routed is not null)
            {
                // The input fits the version routed to, so the unit serves another one now (a rollback since the routes
                // were read): the model moved, as below; not the client's fault, nor the version's.
                if (attempt == 0)
                {
                    continue;
                }

                return Moved(unit, "another model");
            }
            catch
            {
                // Whatever the failure (a refusal, a deadline, an input the version does not take), it counts against the version.
                monitor.RecordFailure(expected.Key);
                InferenceMetrics.Record(model.Name, expected.Key, succeeded: false, Stopwatch.GetElapsedTime(started).TotalSeconds);
                throw;
            }

            var latency = Stopwatch.GetElapsedTime(started);
            var latencyMs = latency.TotalMilliseconds;
            if (ParseVersion(answer.Version, model.Name) is not { } version)
            {
                if (attempt == 0)
                {
                    continue;
                }

                return Moved(unit, answer.Version);
            }

            monitor.RecordAnswer(answer.Version, latencyMs);
            InferenceMetrics.Record(model.Name, answer.Version, succeeded: true, latency.TotalSeconds);
            var answeredBy = version == expected.Version ? routed : await routes.VersionAsync(model.Id, version);
            var classes = answeredBy?.Classes ?? [];
            var probabilities = classes.Length == answer.Output.Length ? Softmax(answer.Output) : null;
            var label = probabilities is null ? null : classes[ArgMax(probabilities)];
            var requestId = Guid.CreateVersion7();
            log.Remember(requestId, new AnsweredInference(model.Id, unit, new VersionRef(model.Name, version), request.Features!, label, classes));
            return TypedResults.Ok(new InferenceResponse(requestId, model.Name, version, unit, answer.Output, probabilities, label));
        }
    }

    private static async Task<Results<Ok<FeedbackResponse>, ProblemHttpResult>> Feedback(
        string id, FeedbackRequest request, ModelDirectory models, InferenceMonitor monitor, InferenceLog log, IClusterClient cluster)
    {
        if (request.RequestId is not { } requestId || string.IsNullOrEmpty(request.Label))
        {
            return Problems.InvalidInput("'requestId' (an inference's) and 'label' (the true class) are required.");
        }

        var model = await models.FindAsync(id);
        if (model is null)
        {
            return Problems.ModelNotFound(id);
        }

        if (log.Find(requestId) is not { } answered || answered.ModelId != model.Id)
        {
            return Problems.Create(
                StatusCodes.Status404NotFound, "request-not-found", "No such inference",
                $"This gateway answered no inference {requestId} of {model.Name} in the last {InferenceLog.Retention.TotalMinutes:F0} minutes.");
        }

        var classIndex = Array.IndexOf(answered.Classes, request.Label);
        if (classIndex < 0)
        {
            return Problems.InvalidInput($"'{request.Label}' is not one of {answered.Version.Key}'s classes ({string.Join(", ", answered.Classes)}).");
        }

        var correct = answered.Label == request.Label;
        monitor.RecordFeedback(answered.Version.Key, correct);
        if (!model.Tags.TryGetValue(LearnFromFeedbackTag, out var learn) || learn != "true")
        {
            return TypedResults.Ok(new FeedbackResponse(requestId, answered.Version.Key, correct, false, null));
        }

        var target = new float[answered.Classes.Length];
        target[classIndex] = 1f;
        var receipt = await cluster.GetUnit(answered.UnitId).Learn(answered.Features, target);
        return TypedResults.Ok(new FeedbackResponse(requestId, answered.Version.Key, correct, receipt.Applied, receipt.Revision));
    }

    private static ProblemHttpResult Moved(long unit, string serving) =>
        Problems.Conflict("model-not-served", "The model moved", $"Unit {unit} now serves {serving}; retry.");

    /// <summary>The version number of <paramref name="key"/> (<c>name:number</c>) when it is a version of <paramref name="model"/>.</summary>
    private static int? ParseVersion(string key, string model) =>
        key.StartsWith(model + ":", StringComparison.Ordinal) && int.TryParse(key.AsSpan(model.Length + 1), out var version) ? version : null;

    private static float[] Softmax(float[] outputs)
    {
        var max = outputs.Max();
        var exps = outputs.Select(y => MathF.Exp(y - max)).ToArray();
        var sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
