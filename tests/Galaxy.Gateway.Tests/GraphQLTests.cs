using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Gateway.GraphQL;

namespace Galaxy.Gateway.Tests;

/// <summary>GraphQL at /graphql against the real gateway: the seed's queries and mutations, REST's credentials, permissions, codes and audit, and the limits.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GraphQLTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_anonymous_caller_gets_401_as_on_REST()
    {
        var post = await fixture.Anonymous.PostAsJsonAsync("/graphql", new { query = "{ galaxyModels { name } }" });
        var get = await fixture.Anonymous.GetAsync("/graphql?query=%7B__typename%7D");

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
    }

    [Fact]
    public async Task A_model_shows_its_latest_versions_number_and_status_and_whether_it_was_approved()
    {
        var name = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-model");
        (await fixture.Http.PostAsJsonAsync($"/v1/models/{name}/versions", RegistryRequests.TinyVersion())).EnsureSuccessStatusCode();
        using var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        (await ceo.PostAsJsonAsync($"/v1/models/{name}/versions/1/approve", new { reason = "graphql" })).EnsureSuccessStatusCode();

        var answer = await fixture.Http.GraphQLAsync(
            "query($id: ID!) { modelById(id: $id) { name version status guardianApproval deployment { id } performance { version requests latency } } }",
            new { id = name });

        Assert.Empty(answer.ErrorCodes());
        var model = answer.GetProperty("data").GetProperty("modelById");
        Assert.Equal((name, "2", "PENDING", false), (model.GetProperty("name").GetString(), model.GetProperty("version").GetString(),
            model.GetProperty("status").GetString(), model.GetProperty("guardianApproval").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, model.GetProperty("deployment").ValueKind);
        Assert.Equal($"{name}:2", model.GetProperty("performance").GetProperty("version").GetString());
        Assert.Equal(0, model.GetProperty("performance").GetProperty("requests").GetInt64());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("performance").GetProperty("latency").ValueKind);
    }

    [Fact]
    public async Task galaxyModels_lists_models_with_their_newest_deployment_and_modelById_of_nothing_is_null()
    {
        var deployed = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-list");
        var started = await fixture.Http.PostAsJsonAsync($"/v1/models/{deployed}/deployments", new { labscapes = new[] { DeploymentRequests.Labscape } });
        var deploymentId = (await started.JsonAsync()).GetProperty("id").GetString();
        var never = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-list");

        var answer = await fixture.Http.GraphQLAsync(
            "{ galaxyModels(search: \"gql-list\", limit: 1000) { name deployment { id status version } } missing: modelById(id: \"no-such-model\") { name } }");

        Assert.Empty(answer.ErrorCodes());
        var models = answer.GetProperty("data").GetProperty("galaxyModels").EnumerateArray().ToDictionary(model => model.GetProperty("name").GetString()!);
        Assert.Equal(deploymentId, models[deployed].GetProperty("deployment").GetProperty("id").GetString());
        Assert.Equal("AWAITING_APPROVAL", models[deployed].GetProperty("deployment").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, models[never].GetProperty("deployment").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("data").GetProperty("missing").ValueKind);
    }

    [Fact]
    public async Task A_field_the_role_may_not_read_is_null_with_a_forbidden_error_and_the_rest_stands()
    {
        var key = await fixture.CreateApiKeyAsync("graphql");
        using var inference = fixture.ClientWithApiKey(key.Key);

        var answer = await inference.GraphQLAsync("{ __typename modelById(id: \"any\") { name } }");

        Assert.Equal(["forbidden"], answer.ErrorCodes());
        Assert.Equal("Query", answer.GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task deployModel_starts_a_deployment_as_REST_would_and_is_audited()
    {
        var name = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-deploy");

        var answer = await fixture.Http.GraphQLAsync(
            "mutation($input: ModelDeploymentInput!) { deployModel(input: $input) { id status model version awaitingApproval approvalId } }",
            new { input = new { modelId = name, labscapes = new[] { DeploymentRequests.Labscape }, canarySteps = new[] { 50, 100 }, reason = "graphql" } });

        Assert.Empty(answer.ErrorCodes());
        var result = answer.GetProperty("data").GetProperty("deployModel");
        Assert.Equal((name, 1, true), (result.GetProperty("model").GetString(), result.GetProperty("version").GetInt32(), result.GetProperty("awaitingApproval").GetBoolean()));
        var rest = await (await fixture.Http.GetAsync($"/v1/deployments/{result.GetProperty("id").GetString()}")).JsonAsync();
        Assert.Equal([50, 100], rest.GetProperty("plan").GetProperty("steps").EnumerateArray().Select(step => step.GetInt32()));
        using var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        var audit = await AuditRowsAsync(ceo);
        Assert.Contains(audit, row => row.GetProperty("action").GetString() == "deployment.start"
            && row.GetProperty("target").GetString() == "/graphql#deployModel" && row.GetProperty("outcome").GetInt32() == 200
            && row.GetProperty("principal").GetString() == TestAccounts.LeadAi);
    }

    [Fact]
    public async Task optimizeModel_makes_a_version_as_REST_would_and_refuses_as_REST_does()
    {
        var (model, parent) = await OptimizationRequests.TrainedAsync(fixture.Http);
        using var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);

        var answer = await engineer.GraphQLAsync(
            "mutation($model: ID!, $version: String) { optimizeModel(modelId: $model, optimization: { version: $version, technique: \"prune\", pruneFraction: 0.25, fineTuneEpochs: 1 }) "
            + "{ model version parentVersion status technique architecture accuracy keptRatio parameterBytes rowsPerSecond } }",
            new { model, version = parent.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var tooWide = await engineer.GraphQLAsync(
            "mutation($model: ID!) { optimizeModel(modelId: $model, optimization: { studentHidden: 8 }) { version } }", new { model });

        Assert.Empty(answer.ErrorCodes());
        var result = answer.GetProperty("data").GetProperty("optimizeModel");
        Assert.Equal((model, parent, "PENDING", "pruned", "16-6-4"), (result.GetProperty("model").GetString(), result.GetProperty("parentVersion").GetInt32(),
            result.GetProperty("status").GetString(), result.GetProperty("technique").GetString(), result.GetProperty("architecture").GetString()));
        var rest = await (await fixture.Http.GetAsync($"/v1/models/{model}/versions/{result.GetProperty("version").GetInt32()}")).JsonAsync();
        Assert.Equal("0.25", rest.GetProperty("lineage").GetProperty("settings").GetProperty("pruneFraction").GetString());
        Assert.Equal(["invalid-optimization"], tooWide.ErrorCodes());
        using var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        Assert.Contains(await AuditRowsAsync(ceo), row => row.GetProperty("action").GetString() == "model.version.optimize"
            && row.GetProperty("target").GetString() == "/graphql#optimizeModel" && row.GetProperty("principal").GetString() == TestAccounts.AiEngineer);
    }

    [Fact]
    public async Task A_refused_mutation_carries_RESTs_code_and_is_audited_with_its_status()
    {
        using var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);

        var forbidden = await engineer.GraphQLAsync("mutation { deployModel(input: {modelId: \"anything\"}) { id } }");
        var missingModel = await fixture.Http.GraphQLAsync("mutation { deployModel(input: {modelId: \"no-such-model-gql\"}) { id } }");
        var missingApproval = await fixture.Http.GraphQLAsync("mutation { requestCEOApproval(modelId: \"no-such-model-gql\", reason: \"r\") { id } }");

        Assert.Equal(["forbidden"], forbidden.ErrorCodes());
        Assert.Equal(["model-not-found"], missingModel.ErrorCodes());
        Assert.Equal(["model-not-found"], missingApproval.ErrorCodes());
        using var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        var audit = await AuditRowsAsync(ceo);
        Assert.Contains(audit, row => row.GetProperty("target").GetString() == "/graphql#deployModel" && row.GetProperty("outcome").GetInt32() == 403
            && row.GetProperty("principal").GetString() == TestAccounts.AiEngineer);
        Assert.Contains(audit, row => row.GetProperty("target").GetString() == "/graphql#requestCEOApproval" && row.GetProperty("outcome").GetInt32() == 404);
    }

    [Fact]
    public async Task requestCEOApproval_asks_the_CEO_for_the_latest_version()
    {
        var name = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-approval");

        var answer = await fixture.Http.GraphQLAsync(
            "mutation($model: ID!) { requestCEOApproval(modelId: $model, reason: \"graphql asks\") { id model version status reason requestedBy } }", new { model = name });

        Assert.Empty(answer.ErrorCodes());
        var approval = answer.GetProperty("data").GetProperty("requestCEOApproval");
        Assert.Equal((name, 1, "PENDING", TestAccounts.LeadAi), (approval.GetProperty("model").GetString(), approval.GetProperty("version").GetInt32(),
            approval.GetProperty("status").GetString(), approval.GetProperty("requestedBy").GetString()));
        var listed = await (await fixture.Http.GetAsync("/v1/guardian/approvals?status=PENDING&limit=1000")).JsonAsync();
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == approval.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Units_labscapes_training_jobs_and_the_performance_report_answer()
    {
        var answer = await fixture.Http.GraphQLAsync("""
            {
              unit(id: "3") { id labscapeId modelVersion architecture { inputs } }
              labscapes { id unitCount }
              labscape(id: "1") { id stableVersion backend }
              trainingJobs(limit: 5) { id status }
              performanceReport(timeRange: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }) { from to coverage versions { version requests } }
            }
            """);

        Assert.Empty(answer.ErrorCodes());
        var data = answer.GetProperty("data");
        Assert.Equal(0, data.GetProperty("unit").GetProperty("labscapeId").GetInt32());
        Assert.Equal(GalaxyTestCluster.Labscapes, data.GetProperty("labscapes").GetArrayLength());
        Assert.Equal(1, data.GetProperty("labscape").GetProperty("id").GetInt32());
        Assert.Equal(PerformanceLogReports.Coverage, data.GetProperty("performanceReport").GetProperty("coverage").GetString());
    }

    [Fact]
    public async Task Alerts_read_as_REST_reads_them_newest_first()
    {
        var alert = await MonitoringRequests.AlertAsync(fixture.Galaxy);

        var answer = await fixture.Http.GraphQLAsync("{ alerts(limit: 50) { id kind severity subject firedAt } }");
        using var rest = JsonDocument.Parse(await fixture.Http.GetStringAsync($"/v1/alerts/{alert}"));

        Assert.Empty(answer.ErrorCodes());
        var listed = answer.GetProperty("data").GetProperty("alerts").EnumerateArray().ToList();
        var firedAt = listed.Select(item => item.GetProperty("firedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(firedAt.OrderDescending(), firedAt);
        var ours = Assert.Single(listed, item => item.GetProperty("id").GetString() == alert.ToString());
        Assert.Equal("cpu", ours.GetProperty("kind").GetString());
        Assert.Equal("warning", ours.GetProperty("severity").GetString());
        Assert.Equal(rest.RootElement.GetProperty("subject").GetString(), ours.GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("{ unit(id: \"abc\") { id } }", "invalid-id")]
    [InlineData("{ unit(id: \"99999999\") { id } }", "unit-not-found")]
    [InlineData("{ labscape(id: \"9999\") { id } }", "labscape-not-found")]
    [InlineData("{ trainingJobs(status: \"SLEEPING\") { id } }", "invalid-input")]
    [InlineData("{ alerts(state: \"burning\") { id } }", "invalid-input")]
    [InlineData("{ performanceReport(timeRange: { from: \"2026-01-02T00:00:00Z\", to: \"2026-01-01T00:00:00Z\" }) { coverage } }", "invalid-input")]
    public async Task Bad_arguments_get_the_codes_REST_gives_them(string query, string code)
    {
        var answer = await fixture.Http.GraphQLAsync(query);

        Assert.Equal([code], answer.ErrorCodes());
    }

    [Fact]
    public async Task A_query_deeper_than_the_limit_is_refused_before_it_runs()
    {
        var deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }";

        var answer = await fixture.Http.GraphQLAsync(deep);

        Assert.False(answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object);
        Assert.NotEmpty(answer.ErrorCodes());
    }

    [Fact]
    public async Task A_query_that_would_cost_more_than_the_budget_is_refused()
    {
        var aliases = string.Join(" ", Enumerable.Range(0, 60).Select(i => $"m{i}: galaxyModels(limit: 1000) {{ name deployment {{ id status }} performance {{ requests }} }}"));

        var answer = await fixture.Http.GraphQLAsync($"{{ {aliases} }}");

        Assert.False(answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object);
        Assert.NotEmpty(answer.ErrorCodes());
    }

    [Fact]
    public async Task GET_runs_queries_and_refuses_mutations()
    {
        var query = await fixture.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("query Q($id: ID!) { unit(id: $id) { id } }")
            + "&variables=" + Uri.EscapeDataString("{\"id\":\"5\"}"));
        var mutation = await fixture.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { requestCEOApproval(modelId: \"x\", reason: \"y\") { id } }"));

        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("5", (await query.JsonAsync()).GetProperty("data").GetProperty("unit").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Equal("method-not-allowed", (await mutation.JsonAsync()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("text/plain", "{\"query\":\"{ __typename }\"}", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type")]
    [InlineData("application/json", "{\"query\":", HttpStatusCode.BadRequest, "malformed-request")]
    [InlineData("application/json", "{\"variables\":{}}", HttpStatusCode.BadRequest, "invalid-input")]
    public async Task An_unreadable_request_is_a_problem(string mediaType, string body, HttpStatusCode status, string code)
    {
        var response = await fixture.Http.PostAsync("/graphql", new StringContent(body, System.Text.Encoding.UTF8, mediaType));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.JsonAsync()).GetProperty("code").GetString());
    }

    private static async Task<List<JsonElement>> AuditRowsAsync(HttpClient auditor)
    {
        var rows = new List<JsonElement>();
        for (long after = 0; ; )
        {
            var page = await (await auditor.GetAsync($"/v1/audit?after={after}&limit=1000")).JsonAsync();
            rows.AddRange(page.EnumerateArray());
            if (page.GetArrayLength() < 1000)
            {
                return rows;
            }

            after = rows[^1].GetProperty("seq").GetInt64();
        }
    }
}
