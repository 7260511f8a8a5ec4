using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>/v1/models through the real gateway: each route's happy path, and its problems with their codes.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ModelEndpointTests(GatewayFixture fixture)
{
    private HttpClient Lead => fixture.Http;

    [Fact]
    public async Task A_model_is_created_found_by_name_or_id_and_updated()
    {
        var name = RegistryRequests.UniqueName("created");

        var created = await Lead.PostAsJsonAsync("/v1/models", new { name, description = "digits", tags = new { team = "vision" } });
        var body = await created.JsonAsync();
        var id = body.GetProperty("id").GetString();
        var byId = await (await Lead.GetAsync($"/v1/models/{id}")).JsonAsync();
        var patched = await (await Lead.PatchAsJsonAsync($"/v1/models/{name}", new { tags = new { team = "speech" } })).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/models/{name}", created.Headers.Location?.OriginalString);
        Assert.Equal(
            (name, "digits", TestAccounts.LeadAi),
            (body.GetProperty("name").GetString(), body.GetProperty("description").GetString(), body.GetProperty("createdBy").GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("latestVersion").ValueKind);
        Assert.Equal(name, byId.GetProperty("name").GetString());
        Assert.Equal(("digits", "speech"), (patched.GetProperty("description").GetString(), patched.GetProperty("tags").GetProperty("team").GetString()));
    }

    [Fact]
    public async Task Model_problems_carry_their_codes()
    {
        var name = RegistryRequests.UniqueName("problem");
        await Lead.PostAsJsonAsync("/v1/models", new { name });

        await AssertProblemAsync(await Lead.PostAsJsonAsync("/v1/models", new { name }), HttpStatusCode.Conflict, "model-exists");
        var invalid = await AssertProblemAsync(await Lead.PostAsJsonAsync("/v1/models", new { name = "Not A Name" }), HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(await Lead.GetAsync("/v1/models/no-such-model"), HttpStatusCode.NotFound, "model-not-found");
        await AssertProblemAsync(await Lead.PatchAsJsonAsync("/v1/models/no-such-model", new { description = "x" }), HttpStatusCode.NotFound, "model-not-found");
        await AssertProblemAsync(await Lead.GetAsync("/v1/models?status=LIVE"), HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(await Lead.GetAsync("/v1/models?tag=novalue"), HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(await Lead.GetAsync("/v1/models?limit=1001"), HttpStatusCode.BadRequest, "invalid-input");

        Assert.Equal("name", invalid.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Search_filters_by_name_tag_and_status_in_pages()
    {
        var prefix = RegistryRequests.UniqueName("search");
        foreach (var (suffix, team) in new[] { ("a", "vision"), ("b", "speech"), ("c", "vision") })
        {
            (await Lead.PostAsJsonAsync("/v1/models", new { name = $"{prefix}-{suffix}", tags = new { team } })).EnsureSuccessStatusCode();
        }

        (await Lead.PostAsJsonAsync($"/v1/models/{prefix}-c/versions", RegistryRequests.TinyVersion())).EnsureSuccessStatusCode();

        var vision = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models?search={prefix}&tag=team:vision");
        var pending = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models?search={prefix}&status=pending");
        var page = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models?search={prefix}&offset=1&limit=1");

        Assert.Equal([$"{prefix}-a", $"{prefix}-c"], Names(vision));
        Assert.Equal([$"{prefix}-c"], Names(pending));
        Assert.Equal("PENDING", pending.GetProperty("items")[0].GetProperty("latestStatus").GetString());
        Assert.Equal([$"{prefix}-b"], Names(page));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_registered_version_reads_back_with_its_weights_and_lineage()
    {
        var model = RegistryRequests.UniqueName("registered");
        await Lead.PostAsJsonAsync("/v1/models", new { name = model });
        var dataset = await RegistryRequests.DatasetAsync(Lead, "lineage");

        var registered = await Lead.PostAsJsonAsync($"/v1/models/{model}/versions", RegistryRequests.TinyVersion(dataset));
        var version = await registered.JsonAsync();
        var latest = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}/versions/latest");
        var weights = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}/versions/1/weights");
        var listed = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}/versions?status=PENDING");

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal($"/v1/models/{model}/versions/1", registered.Headers.Location?.OriginalString);
        Assert.Equal((1, "PENDING"), (version.GetProperty("version").GetInt32(), version.GetProperty("status").GetString()));
        Assert.False(version.TryGetProperty("weights", out _));
        Assert.Equal("registered", version.GetProperty("lineage").GetProperty("technique").GetString());
        Assert.Equal(64, version.GetProperty("lineage").GetProperty("datasetSha256").GetString()!.Length);
        Assert.Equal([0.5f, 0.25f], version.GetProperty("preprocessing").GetProperty("scales").EnumerateArray().Select(value => value.GetSingle()));
        Assert.Equal(0.75, version.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(1, latest.GetProperty("version").GetInt32());
        Assert.Equal((2, 3, 2), (weights.GetProperty("inputs").GetInt32(), weights.GetProperty("hidden").GetInt32(), weights.GetProperty("outputs").GetInt32()));
        Assert.Equal(RegistryRequests.Weights, weights.GetProperty("weights").EnumerateArray().Select(value => value.GetSingle()));
        Assert.Equal(1, listed.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Version_problems_name_the_field_or_what_is_missing()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(Lead, "badversion");

        var shortWeights = await AssertProblemAsync(
            await Lead.PostAsJsonAsync($"/v1/models/{model}/versions", new { inputs = 2, hidden = 3, outputs = 2, loss = "CrossEntropy", weights = new float[16] }),
            HttpStatusCode.BadRequest, "invalid-input");
        var classes = await AssertProblemAsync(
            await Lead.PostAsJsonAsync($"/v1/models/{model}/versions",
                new { inputs = 2, hidden = 3, outputs = 2, loss = "CrossEntropy", weights = RegistryRequests.Weights, classes = new[] { "one" } }),
            HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            await Lead.PostAsJsonAsync($"/v1/models/{model}/versions", new { inputs = 2, hidden = 3, outputs = 2, weights = RegistryRequests.Weights }),
            HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            await Lead.PostAsJsonAsync($"/v1/models/{model}/versions", new { inputs = 2, hidden = 3, outputs = 2, loss = "CrossEntropy", weights = RegistryRequests.Weights, dataset = "no-such-dataset" }),
            HttpStatusCode.NotFound, "dataset-not-found");
        await AssertProblemAsync(await Lead.PostAsJsonAsync("/v1/models/no-such-model/versions", RegistryRequests.TinyVersion()), HttpStatusCode.NotFound, "model-not-found");
        await AssertProblemAsync(await Lead.GetAsync($"/v1/models/{model}/versions/2"), HttpStatusCode.NotFound, "version-not-found");
        await AssertProblemAsync(await Lead.GetAsync($"/v1/models/{model}/versions/champion/weights"), HttpStatusCode.NotFound, "version-not-found");

        Assert.Equal("weights", shortWeights.GetProperty("field").GetString());
        Assert.Contains("17", shortWeights.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("classes", classes.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Approval_and_retirement_follow_the_lifecycle_and_are_audited_twice()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(Lead, "approved");
        using var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);

        var approved = await ceo.PostAsJsonAsync($"/v1/models/{model}/versions/1/approve", new { reason = "passed review" });
        var again = await ceo.PostAsync($"/v1/models/{model}/versions/1/approve", null);
        var retired = await Lead.PostAsync($"/v1/models/{model}/versions/latest/retire", null);
        var retiredAgain = await Lead.PostAsync($"/v1/models/{model}/versions/1/retire", null);

        var approvedBody = await approved.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(("APPROVED", "passed review"), (approvedBody.GetProperty("status").GetString(), approvedBody.GetProperty("statusReason").GetString()));
        var illegal = await AssertProblemAsync(again, HttpStatusCode.Conflict, "illegal-transition");
        Assert.Equal(("APPROVED", "APPROVED"), (illegal.GetProperty("from").GetString(), illegal.GetProperty("to").GetString()));
        Assert.Equal("RETIRED", (await retired.JsonAsync()).GetProperty("status").GetString());
        var final = await AssertProblemAsync(retiredAgain, HttpStatusCode.Conflict, "illegal-transition");
        Assert.Equal("RETIRED", final.GetProperty("from").GetString());

        var requestRows = await AuditAsync("model.version.approve", $"/v1/models/{model}/versions/1/approve");
        Assert.Equal([(TestAccounts.Ceo, 200), (TestAccounts.Ceo, 409)], requestRows.Select(row => (row.Principal, row.Outcome)));
        var changeRow = Assert.Single(await AuditAsync(RegistryAudit.VersionStatusChanged, $"models/{model}/versions/1 PENDING→APPROVED: passed review"));
        Assert.Equal((TestAccounts.Ceo, 0), (changeRow.Principal, changeRow.Outcome));
    }

    [Fact]
    public async Task Aliases_are_set_moved_listed_and_removed()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(Lead, "aliases");
        (await Lead.PostAsJsonAsync($"/v1/models/{model}/versions", RegistryRequests.TinyVersion())).EnsureSuccessStatusCode();

        var set = await Lead.PutAsJsonAsync($"/v1/models/{model}/aliases/champion", new { version = 1 });
        var moved = await Lead.PutAsJsonAsync($"/v1/models/{model}/aliases/champion", new { version = 2 });
        var byAlias = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}/versions/champion");
        var listed = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}/aliases");
        var modelAliases = (await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}")).GetProperty("aliases");
        var removed = await Lead.DeleteAsync($"/v1/models/{model}/aliases/champion");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(["champion"], (await moved.JsonAsync()).GetProperty("aliases").EnumerateArray().Select(alias => alias.GetString()));
        Assert.Equal(2, byAlias.GetProperty("version").GetInt32());
        Assert.Equal(("champion", 2), (listed[0].GetProperty("alias").GetString(), listed[0].GetProperty("version").GetInt32()));
        Assert.Equal(2, modelAliases.GetProperty("champion").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await AssertProblemAsync(await Lead.DeleteAsync($"/v1/models/{model}/aliases/champion"), HttpStatusCode.NotFound, "alias-not-found");
        await AssertProblemAsync(await Lead.PutAsJsonAsync($"/v1/models/{model}/aliases/champion", new { version = 3 }), HttpStatusCode.NotFound, "version-not-found");
        await AssertProblemAsync(await Lead.PutAsJsonAsync($"/v1/models/{model}/aliases/latest", new { version = 1 }), HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(await Lead.PutAsJsonAsync($"/v1/models/{model}/aliases/champion", new { }), HttpStatusCode.BadRequest, "invalid-input");
        Assert.Equal(
            [$"models/{model}/aliases/champion → 1", $"models/{model}/aliases/champion → 2 (was 1)"],
            (await AuditAsync(RegistryAudit.AliasSet, $"models/{model}/aliases/")).Select(row => row.Target));
    }

    [Fact]
    public async Task Evaluations_list_with_their_reports()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(Lead, "evaluated");
        var dataset = await RegistryRequests.DatasetAsync(Lead, "evaluation");
        var registry = fixture.Gateway.Services.GetRequiredService<ModelRegistry>();
        var modelId = (await registry.FindModelAsync(model, CancellationToken.None))!.Id;
        var datasetId = (await fixture.Gateway.Services.GetRequiredService<DatasetStore>().FindAsync(dataset, CancellationToken.None))!.Id;
        await registry.RecordEvaluationAsync(modelId, 1, datasetId, 0.9, """{"confusion":[[9,1],[1,9]]}""", "evaluator", CancellationToken.None);

        var evaluations = await Lead.GetFromJsonAsync<JsonElement>($"/v1/models/{model}/versions/1/evaluations");

        var evaluation = Assert.Single(evaluations.EnumerateArray());
        Assert.Equal((0.9, dataset), (evaluation.GetProperty("accuracy").GetDouble(), evaluation.GetProperty("datasetName").GetString()));
        Assert.Equal(9, evaluation.GetProperty("report").GetProperty("confusion")[0][0].GetInt32());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_registry()
    {
        var document = await Lead.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/models/{id}/versions/{v}/approve", out _));
        Assert.True(paths.TryGetProperty("/v1/datasets", out _));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ModelVersionResponse", out _));
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    private static string[] Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(model => model.GetProperty("name").GetString()!).ToArray();

    private Task<List<(string Principal, string Target, int Outcome, string Digest)>> AuditAsync(string action, string targetPrefix) =>
        AuditRows.ReadAsync(fixture, action, targetPrefix);
}
