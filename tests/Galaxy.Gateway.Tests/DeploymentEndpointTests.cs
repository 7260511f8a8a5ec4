using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Testing.Training;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Guarded deployment end to end through the gateway: a trained version rolled out by canary steps and promoted on live
/// inference and feedback, a bad version rolling itself back, a version below Guardian's bar waiting for the CEO.
/// Every deployment goes to labscape 3 (<see cref="DeploymentRequests"/>).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DeploymentEndpointTests(GatewayFixture fixture)
{
    /// <summary>Four well separated classes of 16 features: a small recipe learns them perfectly.</summary>
    private static readonly string Blobs = TrainingData.BlobsCsv(classes: 4, features: 16, perClass: 30, seed: 11);

    private static readonly object QuickCanary = new
    {
        steps = new[] { 50, 100 }, intervalSeconds = 1, minSamples = 20, minFeedback = 10, maxLatencyP95Ms = 1_000,
    };

    [Fact]
    public async Task A_good_canary_shares_the_traffic_as_it_shares_the_units_and_is_promoted()
    {
        var (model, v1) = await TrainedModelAsync("promoted");
        await DeployAndWaitAsync(model, new { steps = new[] { 100 } }, "SUCCEEDED");
        var v2 = await RegisterVersionAsync(model, v1.Weights, validationAccuracy: 0.99);

        var deployment = await DeploymentRequests.DeployAsync(fixture.Http, model, QuickCanary);
        var answers = await DriveTrafficAsync(model, deployment, correctLabels: true);
        var done = await DeploymentRequests.WaitAsync(fixture.Http, Id(deployment), status => status is not "PROGRESSING" and not "AWAITING_APPROVAL");

        Assert.Equal("SUCCEEDED", done.GetProperty("status").GetString());
        Assert.Equal("guardian", done.GetProperty("approvedBy").GetString());
        Assert.Contains(done.GetProperty("analyses").EnumerateArray(), analysis => analysis.GetProperty("passed").GetBoolean());
        var kinds = done.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToArray();
        Assert.Equal(["deployment.created", "deployment.approved", "deployment.started", "deployment.step"], kinds.Take(4));
        Assert.Equal("deployment.succeeded", kinds[^1]);

        // While the canary served half the units (4 of labscape 3's 8), the answers split about as the units did.
        var atHalf = answers.Where(answer => answer.Step == 50).ToArray();
        var share = atHalf.Count(answer => answer.Version == v2) / (double)atHalf.Length;
        Assert.True(atHalf.Length >= 20, $"{atHalf.Length} answers at 50 %");
        Assert.InRange(share, 0.25, 0.75);

        var version = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/{v2}")).JsonAsync();
        Assert.Equal("DEPLOYED", version.GetProperty("status").GetString());
        var inference = await (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = v1.Features[0] })).JsonAsync();
        Assert.Equal(v2, inference.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_bad_version_rolls_itself_back_and_every_step_is_in_the_audit_chain()
    {
        var (model, v1) = await TrainedModelAsync("rolled-back");
        await DeployAndWaitAsync(model, new { steps = new[] { 100 } }, "SUCCEEDED");
        var permuted = v1.Weights.Reverse().ToArray();
        var bad = await RegisterVersionAsync(model, permuted, validationAccuracy: 0.99);

        var deployment = await DeploymentRequests.DeployAsync(fixture.Http, model, QuickCanary);
        await DriveTrafficAsync(model, deployment, correctLabels: true);
        var done = await DeploymentRequests.WaitAsync(fixture.Http, Id(deployment), status => status is not "PROGRESSING");

        Assert.Equal("ROLLED_BACK", done.GetProperty("status").GetString());
        var failed = done.GetProperty("analyses").EnumerateArray().Last();
        Assert.False(failed.GetProperty("passed").GetBoolean());
        Assert.Contains("accuracy", failed.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var version = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/{bad}")).JsonAsync();
        Assert.Equal("ROLLED_BACK", version.GetProperty("status").GetString());
        for (var i = 0; i < 20; i++)
        {
            var answer = await (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = v1.Features[i] })).JsonAsync();
            Assert.True(answer.TryGetProperty("version", out var answeredBy), answer.ToString());
            Assert.Equal(v1.Version, answeredBy.GetInt32());
        }

        var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        var rows = (await AuditAsync(ceo)).Where(row => row.GetProperty("target").GetString()!.Contains(Id(deployment), StringComparison.Ordinal))
            .Select(row => row.GetProperty("action").GetString()).ToArray();
        Assert.Contains("deployment.step", rows);
        Assert.Contains("deployment.analysis-failed", rows);
        Assert.Equal("deployment.rolled-back", rows[^1]);
        Assert.True((await (await ceo.GetAsync("/v1/audit/verify")).JsonAsync()).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_version_below_Guardians_bar_waits_for_a_decision_only_a_signed_in_CEO_can_make()
    {
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "below-the-bar", validationAccuracy: 0.9);
        var rejectedModel = await DeploymentRequests.ModelAsync(fixture.Http, "rejected", validationAccuracy: 0.5);

        var waiting = await DeploymentRequests.DeployAsync(fixture.Http, model);
        var approvalId = waiting.GetProperty("approvalId").GetString();
        var cto = await (await fixture.ClientForAsync(TestAccounts.Cto)).PostAsJsonAsync($"/v1/guardian/approvals/{approvalId}/decision", new { approve = true });
        var lead = await fixture.Http.PostAsJsonAsync($"/v1/guardian/approvals/{approvalId}/decision", new { approve = true });
        var ceoWithoutTotp = await fixture.SignInAsync(TestAccounts.TotpCeo, totp: "");
        var pending = await (await fixture.Http.GetAsync("/v1/guardian/approvals?status=pending")).JsonAsync();
        var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        var approved = await ceo.PostAsJsonAsync($"/v1/guardian/approvals/{approvalId}/decision", new { approve = true, comment = "reviewed the figures" });
        var again = await ceo.PostAsJsonAsync($"/v1/guardian/approvals/{approvalId}/decision", new { approve = false });
        var done = await DeploymentRequests.WaitAsync(fixture.Http, Id(waiting), status => status is "SUCCEEDED" or "FAILED");

        Assert.Equal("AWAITING_APPROVAL", waiting.GetProperty("status").GetString());
        Assert.False(waiting.GetProperty("check").GetProperty("passed").GetBoolean());
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (cto.StatusCode, lead.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, ceoWithoutTotp.StatusCode);
        Assert.Contains(pending.GetProperty("items").EnumerateArray(), approval => approval.GetProperty("id").GetString() == approvalId);
        Assert.Equal("APPROVED", (await approved.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(("SUCCEEDED", TestAccounts.Ceo), (done.GetProperty("status").GetString(), done.GetProperty("approvedBy").GetString()));

        var toReject = await DeploymentRequests.DeployAsync(fixture.Http, rejectedModel);
        await ceo.PostAsJsonAsync($"/v1/guardian/approvals/{toReject.GetProperty("approvalId").GetString()}/decision", new { approve = false, comment = "no" });
        var rejected = await DeploymentRequests.WaitAsync(fixture.Http, Id(toReject), status => status != "AWAITING_APPROVAL");
        Assert.Equal("REJECTED", rejected.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_finished_deployment_rolls_back_by_hand_until_a_later_one_changes_its_labscapes()
    {
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "by-hand", validationAccuracy: 0.99);
        var first = await DeploymentRequests.DeployAsync(fixture.Http, model);
        await DeploymentRequests.WaitAsync(fixture.Http, Id(first), status => status == "SUCCEEDED");
        (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions", DeploymentRequests.Version(0.99, seed: 2))).EnsureSuccessStatusCode();
        var second = await DeploymentRequests.DeployAsync(fixture.Http, model);
        await DeploymentRequests.WaitAsync(fixture.Http, Id(second), status => status == "SUCCEEDED");

        await AssertProblemAsync(Rollback(first), HttpStatusCode.Conflict, "not-rollbackable");
        var rolledBack = await (await Rollback(second)).JsonAsync();
        await AssertProblemAsync(Rollback(second), HttpStatusCode.Conflict, "not-rollbackable");

        Assert.Equal("ROLLED_BACK", rolledBack.GetProperty("status").GetString());
        Assert.Equal("deployment.rolled-back", rolledBack.GetProperty("history").EnumerateArray().Last().GetProperty("kind").GetString());
        var version2 = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/2")).JsonAsync();
        Assert.Equal("ROLLED_BACK", version2.GetProperty("status").GetString());
        var answer = await (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = new float[16] })).JsonAsync();
        Assert.Equal(1, answer.GetProperty("version").GetInt32());

        Task<HttpResponseMessage> Rollback(JsonElement deployment) =>
            fixture.Http.PostAsJsonAsync($"/v1/deployments/{Id(deployment)}/rollback", new { reason = "tests" });
    }

    [Fact]
    public async Task Bad_deployment_and_inference_requests_are_problems()
    {
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "bad-requests", validationAccuracy: 0.99);

        await AssertProblemAsync(Deploy(model, new { canary = new { steps = new[] { 50 } } }), HttpStatusCode.BadRequest, "invalid-deployment");
        await AssertProblemAsync(Deploy(model, new { labscapes = new[] { 99 } }), HttpStatusCode.BadRequest, "invalid-deployment");
        await AssertProblemAsync(Deploy("no-such-model", new { }), HttpStatusCode.NotFound, "model-not-found");
        await AssertProblemAsync(Deploy(model, new { version = "7" }), HttpStatusCode.NotFound, "version-not-found");
        await AssertProblemAsync(fixture.Http.GetAsync($"/v1/deployments/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "deployment-not-found");
        await AssertProblemAsync(
            fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = new float[16] }), HttpStatusCode.Conflict, "model-not-served");
        var served = await DeploymentRequests.ServedModelAsync(fixture.Http);
        await AssertProblemAsync(
            fixture.Http.PostAsJsonAsync($"/v1/models/{served}/inference", new { features = new float[3] }), HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            fixture.Http.PostAsJsonAsync($"/v1/models/{served}/feedback", new { requestId = Guid.NewGuid(), label = "c0" }), HttpStatusCode.NotFound,
            "request-not-found");
        var answer = await (await fixture.Http.PostAsJsonAsync($"/v1/models/{served}/inference", new { features = new float[16] })).JsonAsync();
        await AssertProblemAsync(
            fixture.Http.PostAsJsonAsync($"/v1/models/{served}/feedback", new { requestId = answer.GetProperty("requestId").GetString(), label = "cat" }),
            HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            fixture.Http.PostAsJsonAsync($"/v1/guardian/approvals/{Guid.NewGuid()}/decision", new { approve = true }), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(
            (await fixture.ClientForAsync(TestAccounts.Ceo)).PostAsJsonAsync($"/v1/guardian/approvals/{Guid.NewGuid()}/decision", new { approve = true }),
            HttpStatusCode.NotFound, "approval-not-found");

        Task<HttpResponseMessage> Deploy(string name, object body) => fixture.Http.PostAsJsonAsync($"/v1/models/{name}/deployments", body);
    }

    private async Task DeployAndWaitAsync(string model, object canary, string status)
    {
        var deployment = await DeploymentRequests.DeployAsync(fixture.Http, model, canary);
        var done = await DeploymentRequests.WaitAsync(fixture.Http, Id(deployment), current => current is not "PROGRESSING" and not "AWAITING_APPROVAL");
        Assert.Equal(status, done.GetProperty("status").GetString());
    }

    /// <summary>
    /// Inference on the blobs' rows, with feedback (their true labels, or wrong ones), until the deployment ends; each
    /// answer's version and the step the deployment was at when it was asked.
    /// </summary>
    private async Task<List<(int Version, int Step)>> DriveTrafficAsync(string model, JsonElement deployment, bool correctLabels)
    {
        var rows = BlobRows();
        var answers = new List<(int, int)>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; waited.Elapsed < TimeSpan.FromSeconds(60); i++)
        {
            var state = await (await fixture.Http.GetAsync($"/v1/deployments/{Id(deployment)}")).JsonAsync();
            if (state.GetProperty("status").GetString() != "PROGRESSING")
            {
                break;
            }

            var (features, label) = rows[i % rows.Length];
            var answer = await (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features })).JsonAsync();
            answers.Add((answer.GetProperty("version").GetInt32(), state.GetProperty("canaryPercent").GetInt32()));
            await fixture.Http.PostAsJsonAsync(
                $"/v1/models/{model}/feedback", new { requestId = answer.GetProperty("requestId").GetString(), label = correctLabels ? label : "c0" });
        }

        return answers;
    }

    /// <summary>A model trained on the blobs by a small recipe, its first version: number, weights and the rows' features.</summary>
    private async Task<(string Model, (int Version, float[] Weights, float[][] Features) V1)> TrainedModelAsync(string prefix)
    {
        var model = RegistryRequests.UniqueName(prefix);
        (await fixture.Http.PostAsJsonAsync("/v1/models", new { name = model })).EnsureSuccessStatusCode();
        var upload = await fixture.Http.PostAsync("/v1/datasets?name=blobs-16&label=label", RegistryRequests.Csv(Blobs));
        upload.EnsureSuccessStatusCode();
        var dataset = (await upload.JsonAsync()).GetProperty("name").GetString();
        var job = await (await fixture.Http.PostAsJsonAsync("/v1/training/jobs", new
        {
            model, dataset, hidden = 8, epochs = 15, grid = new { learningRates = new[] { 0.05f }, seeds = new[] { 1, 2 } },
        })).JsonAsync();
        var trained = await TrainingRequests.FinishedAsync(fixture.Http, job.GetProperty("id").GetString()!);
        var version = trained.GetProperty("version").GetInt32();
        var weights = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/{version}/weights")).JsonAsync();
        return (model, (version, weights.GetProperty("weights").EnumerateArray().Select(w => w.GetSingle()).ToArray(), BlobRows().Select(row => row.Features).ToArray()));
    }

    /// <summary>Registers weights (with the trained version's preprocessing copied) as the model's next version; returns its number.</summary>
    private async Task<int> RegisterVersionAsync(string model, float[] weights, double validationAccuracy)
    {
        var latest = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/latest")).JsonAsync();
        var response = await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions", new
        {
            inputs = 16, hidden = 8, outputs = 4, loss = "CrossEntropy", weights,
            preprocessing = latest.GetProperty("preprocessing"), classes = new[] { "c0", "c1", "c2", "c3" },
            metrics = new { validation_accuracy = validationAccuracy },
        });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("version").GetInt32();
    }

    private static (float[] Features, string Label)[] BlobRows() => Blobs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(line => line.Split(','))
        .Select(cells => (cells[..^1].Select(cell => float.Parse(cell, CultureInfo.InvariantCulture)).ToArray(), cells[^1]))
        .ToArray();

    /// <summary>Every row of the audit chain, page after page.</summary>
    private static async Task<List<JsonElement>> AuditAsync(HttpClient client)
    {
        var rows = new List<JsonElement>();
        while (true)
        {
            var after = rows.Count == 0 ? 0 : rows[^1].GetProperty("seq").GetInt64();
            var page = await (await client.GetAsync($"/v1/audit?limit=1000&after={after}")).JsonAsync();
            if (page.GetArrayLength() == 0)
            {
                return rows;
            }

            rows.AddRange(page.EnumerateArray());
        }
    }

    private static string Id(JsonElement deployment) => deployment.GetProperty("id").GetString()!;

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string code)
    {
        var response = await request;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.JsonAsync()).GetProperty("code").GetString());
    }
}
