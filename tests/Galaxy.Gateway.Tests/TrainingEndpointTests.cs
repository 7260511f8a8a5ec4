using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Gateway.Tests;

/// <summary>Training jobs and evaluations through the gateway: HTTP, Server-Sent Events, their problems, and the SDK.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TrainingEndpointTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_job_started_over_HTTP_streams_its_progress_and_ends_with_a_pending_version_and_its_lineage()
    {
        var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);
        var (model, dataset) = await TrainingRequests.ModelAndDatasetAsync(engineer, "http-train");

        var submitted = await engineer.PostAsJsonAsync("/v1/training/jobs", TrainingRequests.TinyJob(model, dataset, epochs: 12));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var accepted = await submitted.JsonAsync();
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/training/jobs/{id}", submitted.Headers.Location?.OriginalString);
        Assert.Equal("ai_engineer", accepted.GetProperty("requestedBy").GetString());
        Assert.Equal(2, accepted.GetProperty("recipe").GetProperty("candidates").GetInt32());

        var events = await ReadEventsAsync(engineer, $"/v1/training/jobs/{id}/events");

        Assert.Equal("end", events[^1].Name);
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Name));
        var progress = events[..^1].Select(e => e.Data.GetProperty("progress").GetDouble()).ToArray();
        Assert.Equal(progress.Order(), progress);
        var job = events[^1].Data;
        Assert.Equal("SUCCEEDED", job.GetProperty("status").GetString());
        Assert.Equal(12, job.GetProperty("history").GetArrayLength());
        Assert.True(job.GetProperty("costUsd").GetDouble() > 0);
        var versionNumber = job.GetProperty("version").GetInt32();

        var version = await (await engineer.GetAsync($"/v1/models/{model}/versions/{versionNumber}")).JsonAsync();
        Assert.Equal("PENDING", version.GetProperty("status").GetString());
        Assert.Equal(id, version.GetProperty("lineage").GetProperty("trainingJobId").GetString());
        Assert.Equal(["c0", "c1", "c2"], version.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(
            job.GetProperty("candidates")[job.GetProperty("bestCandidate").GetInt32()].GetProperty("validationAccuracy").GetDouble(),
            version.GetProperty("metrics").GetProperty("validation_accuracy").GetDouble());

        var listed = await (await engineer.GetAsync($"/v1/training/jobs?status=succeeded&model={model}")).JsonAsync();
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_running_job_is_cancelled_over_HTTP_and_a_finished_one_stays_as_it_ended()
    {
        var (model, dataset) = await TrainingRequests.ModelAndDatasetAsync(fixture.Http, "http-cancel");
        var started = await (await fixture.Http.PostAsJsonAsync("/v1/training/jobs", TrainingRequests.TinyJob(model, dataset, epochs: 1_000))).JsonAsync();
        var id = started.GetProperty("id").GetString();

        var cancelled = await (await fixture.Http.PostAsync($"/v1/training/jobs/{id}/cancel", null)).JsonAsync();
        var again = await (await (await fixture.ClientForAsync(TestAccounts.Cto)).PostAsync($"/v1/training/jobs/{id}/cancel", null)).JsonAsync();

        Assert.Equal("CANCELLED", cancelled.GetProperty("status").GetString());
        Assert.Equal("lead_ai", cancelled.GetProperty("cancelledBy").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("version").ValueKind);
        Assert.Equal("lead_ai", again.GetProperty("cancelledBy").GetString());
    }

    [Fact]
    public async Task Evaluating_a_trained_version_over_HTTP_answers_its_accuracy_and_records_it()
    {
        var id = await TrainingRequests.JobAsync(fixture.Http, "http-evaluate");
        var job = await TrainingRequests.FinishedAsync(fixture.Http, id);
        var model = job.GetProperty("model").GetProperty("name").GetString();
        var version = job.GetProperty("version").GetInt32();

        var response = await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions/{version}/evaluate", new { dataset = "training-blobs" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evaluation = await response.JsonAsync();
        Assert.Equal(60, evaluation.GetProperty("rows").GetInt32());
        Assert.Equal(60, evaluation.GetProperty("confusion").EnumerateArray().Sum(row => row.EnumerateArray().Sum(n => n.GetInt32())));
        Assert.Equal(3, evaluation.GetProperty("perClass").GetArrayLength());
        var recorded = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/{version}/evaluations")).JsonAsync();
        Assert.Equal(evaluation.GetProperty("accuracy").GetDouble(), Assert.Single(recorded.EnumerateArray()).GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public async Task Bad_training_and_evaluation_requests_are_problems_that_say_what_is_wrong()
    {
        var (model, dataset) = await TrainingRequests.ModelAndDatasetAsync(fixture.Http, "http-bad");

        await AssertProblemAsync(Post(new { dataset }), HttpStatusCode.BadRequest, "invalid-input", "'model' and 'dataset' are required");
        await AssertProblemAsync(Post(new { model = "no-such-model", dataset }), HttpStatusCode.NotFound, "model-not-found");
        await AssertProblemAsync(Post(new { model, dataset = "no-such-dataset" }), HttpStatusCode.NotFound, "dataset-not-found");
        await AssertProblemAsync(
            Post(new { model, dataset, labelColumn = "digit" }), HttpStatusCode.BadRequest, "invalid-training-request", "not 'digit'");
        var recipe = await AssertProblemAsync(
            Post(new { model, dataset, epochs = 0, hidden = 300, loss = "hinge", grid = new { learningRates = new[] { -1f }, seeds = new[] { 1, 1 } } }),
            HttpStatusCode.BadRequest, "invalid-training-request");
        foreach (var field in new[] { "loss", "hidden", "epochs", "learningRates", "seeds" })
        {
            Assert.Contains(field, recipe, StringComparison.Ordinal);
        }

        await AssertProblemAsync(
            Post(new { model, dataset, grid = new { learningRates = Enumerable.Range(1, 64).Select(i => i / 1000f), seeds = Enumerable.Range(1, 17) } }),
            HttpStatusCode.BadRequest, "invalid-training-request", "1088 candidates");
        await AssertProblemAsync(fixture.Http.GetAsync($"/v1/training/jobs/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "training-job-not-found");
        await AssertProblemAsync(fixture.Http.PostAsync("/v1/training/jobs/not-a-job/cancel", null), HttpStatusCode.NotFound, "training-job-not-found");
        await AssertProblemAsync(fixture.Http.GetAsync("/v1/training/jobs?status=DONE"), HttpStatusCode.BadRequest, "invalid-input");

        var version = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "http-bad-eval");
        await AssertProblemAsync(Evaluate(version, "1", new { }), HttpStatusCode.BadRequest, "invalid-input", "'dataset' is required");
        await AssertProblemAsync(Evaluate(version, "9", new { dataset }), HttpStatusCode.NotFound, "version-not-found");
        await AssertProblemAsync(Evaluate(version, "1", new { dataset = "no-such-dataset" }), HttpStatusCode.NotFound, "dataset-not-found");
        await AssertProblemAsync(Evaluate(version, "1", new { dataset }), HttpStatusCode.BadRequest, "invalid-evaluation", "has 4 features");

        Task<HttpResponseMessage> Post(object body) => fixture.Http.PostAsJsonAsync("/v1/training/jobs", body);
        Task<HttpResponseMessage> Evaluate(string name, string v, object body) => fixture.Http.PostAsJsonAsync($"/v1/models/{name}/versions/{v}/evaluate", body);
    }

    [Fact]
    public async Task The_SDK_starts_follows_lists_and_evaluates_a_training_job()
    {
        var client = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.AiEngineer));
        var (model, dataset) = await TrainingRequests.ModelAndDatasetAsync(fixture.Http, "sdk-train");

        var job = await client.StartTrainingAsync(new TrainingJobSpec(
            model, dataset, "label", Hidden: 6, Epochs: 8, Grid: new TrainingGrid(LearningRates: [0.05f], Seeds: [1, 2])));
        var steps = new List<TrainingProgress>();
        await foreach (var step in client.FollowTrainingJobAsync(job.Id))
        {
            steps.Add(step);
        }

        var finished = steps[^1].Job!;
        var listed = await client.ListTrainingJobsAsync(status: "SUCCEEDED", model: model);
        var evaluation = await client.EvaluateAsync(model, "latest", dataset);
        var missing = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => client.GetTrainingJobAsync(Guid.NewGuid()));

        Assert.Equal("QUEUED", job.Status);
        Assert.Equal("SUCCEEDED", finished.Status);
        Assert.True(finished.IsFinished);
        Assert.Equal(8, finished.History.Length);
        Assert.Equal(job.Id, Assert.Single(listed.Items).Id);
        Assert.Equal(finished.Version, evaluation.Version);
        Assert.InRange(evaluation.Accuracy, 0.0, 1.0);
        Assert.Equal("training-job-not-found", missing.Code);
        Assert.Equal(finished, await client.GetTrainingJobAsync(job.Id) with { History = finished.History, Candidates = finished.Candidates, Recipe = finished.Recipe });
    }

    private static async Task<List<(string Name, JsonElement Data)>> ReadEventsAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string, JsonElement)>();
        var name = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name, JsonSerializer.Deserialize<JsonElement>(line[6..])));
            }
        }

        return events;
    }

    private static async Task<string> AssertProblemAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string code, string? detail = null)
    {
        var response = await request;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        var text = problem.GetProperty("detail").GetString()!;
        if (detail is not null)
        {
            Assert.Contains(detail, text, StringComparison.Ordinal);
        }

        return text;
    }
}
