using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>Analysing and optimising versions through the gateway, and the problems of bad requests.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OptimizationEndpointTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_analysis_reports_every_technique_with_its_kept_accuracy_size_and_speed()
    {
        var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);
        var (model, version) = await OptimizationRequests.TrainedAsync(fixture.Http);

        var response = await engineer.PostAsJsonAsync("/v1/optimization/analyze", OptimizationRequests.QuickAnalysis(model, version.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var analysis = await response.JsonAsync();
        Assert.Equal(version, analysis.GetProperty("version").GetInt32());
        Assert.Equal(8, analysis.GetProperty("shape").GetProperty("hidden").GetInt32());
        var originalBytes = analysis.GetProperty("parameterBytes").GetInt64();
        Assert.Equal(4 * (16 * 8 + 8 + 8 * 4 + 4), originalBytes);
        var techniques = analysis.GetProperty("techniques").EnumerateArray().ToArray();
        Assert.Equal(["int8", "pruned", "pruned", "pruned", "distilled", "pruned+int8"], techniques.Select(t => t.GetProperty("technique").GetString()));
        Assert.Equal([6, 4, 2, 2, 4], techniques.Skip(1).Select(t => t.GetProperty("shape").GetProperty("hidden").GetInt32()));
        Assert.All(techniques, technique =>
        {
            Assert.True(technique.GetProperty("parameterBytes").GetInt64() < originalBytes);
            Assert.InRange(technique.GetProperty("keptRatio").GetDouble(), 0.5, 1.5);
            Assert.True(technique.GetProperty("rowsPerSecond").GetDouble() > 0);
            Assert.True(technique.TryGetProperty("plan", out _));
        });
        Assert.True(techniques[1].GetProperty("fineTuned").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.Equal("ensemble of 2", techniques[4].GetProperty("settings").GetProperty("teacher").GetString());
        Assert.True(analysis.GetProperty("validationRows").GetInt32() > 0);
    }

    [Fact]
    public async Task Optimizing_makes_a_pending_version_with_lineage_technique_settings_and_metrics()
    {
        var lead = await fixture.ClientForAsync(TestAccounts.LeadAi);
        var (model, parent) = await OptimizationRequests.TrainedAsync(fixture.Http);

        var response = await lead.PostAsJsonAsync($"/v1/models/{model}/versions/{parent}/optimize", new { technique = "combined", fineTuneEpochs = 2 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var created = body.GetProperty("version");
        var number = created.GetProperty("version").GetInt32();
        Assert.Equal($"/v1/models/{model}/versions/{number}", response.Headers.Location?.OriginalString);
        var stored = await (await lead.GetAsync($"/v1/models/{model}/versions/{number}")).JsonAsync();
        Assert.Equal("PENDING", stored.GetProperty("status").GetString());
        Assert.Equal("lead_ai", stored.GetProperty("createdBy").GetString());
        Assert.Equal(4, stored.GetProperty("hidden").GetInt32());
        var lineage = stored.GetProperty("lineage");
        Assert.Equal(parent, lineage.GetProperty("parentVersion").GetInt32());
        Assert.Equal("pruned+int8", lineage.GetProperty("technique").GetString());
        Assert.Equal(JsonValueKind.Null, lineage.GetProperty("trainingJobId").ValueKind);
        Assert.True(lineage.GetProperty("servesInt8").GetBoolean());
        Assert.Equal("0.5", lineage.GetProperty("settings").GetProperty("pruneFraction").GetString());
        Assert.Equal("2", lineage.GetProperty("settings").GetProperty("fineTuneEpochs").GetString());
        var metrics = stored.GetProperty("metrics");
        Assert.Equal(body.GetProperty("outcome").GetProperty("accuracy").GetDouble(), metrics.GetProperty("validation_accuracy").GetDouble());
        Assert.Equal(body.GetProperty("outcome").GetProperty("keptRatio").GetDouble(), metrics.GetProperty("kept_ratio").GetDouble());
        Assert.True(metrics.GetProperty("parameter_bytes").GetDouble() < metrics.GetProperty("parent_parameter_bytes").GetDouble());
        Assert.Equal(
            (await (await lead.GetAsync($"/v1/models/{model}/versions/{parent}")).JsonAsync()).GetProperty("lineage").GetProperty("datasetId").GetString(),
            lineage.GetProperty("datasetId").GetString());

        // Its stored weights are the dequantised int8 weights: every row of W1 takes at most 255 distinct values, a multiple of its scale.
        var weights = (await (await lead.GetAsync($"/v1/models/{model}/versions/{number}/weights")).JsonAsync()).GetProperty("weights")
            .EnumerateArray().Select(w => w.GetSingle()).ToArray();
        var row = weights.AsSpan(0, 16).ToArray();
        var scale = row.Max(Math.Abs) / 127;
        Assert.All(row, w => Assert.Equal(Math.Round(w / scale), w / scale, 3));
    }

    [Fact]
    public async Task Bad_optimization_requests_are_problems()
    {
        var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);
        var (model, version) = await OptimizationRequests.TrainedAsync(fixture.Http);
        var registered = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "no-dataset");

        await AssertProblemAsync(HttpStatusCode.NotFound, "model-not-found",
            await engineer.PostAsJsonAsync("/v1/optimization/analyze", new { model = "no-such-model" }));
        await AssertProblemAsync(HttpStatusCode.NotFound, "version-not-found",
            await engineer.PostAsJsonAsync("/v1/optimization/analyze", new { model, version = "99" }));
        await AssertProblemAsync(HttpStatusCode.NotFound, "version-not-found",
            await engineer.PostAsJsonAsync($"/v1/models/{model}/versions/99/optimize", new { technique = "int8" }));
        await AssertProblemAsync(HttpStatusCode.NotFound, "model-not-found",
            await engineer.PostAsJsonAsync("/v1/models/no-such-model/versions/1/optimize", new { technique = "int8" }));
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-input",
            await engineer.PostAsJsonAsync("/v1/optimization/analyze", new { version = "1" }));

        var everyUnit = await engineer.PostAsJsonAsync($"/v1/models/{model}/versions/{version}/optimize", new { pruneFraction = 1.0 });
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization", everyUnit, "pruneFraction");
        var larger = await engineer.PostAsJsonAsync($"/v1/models/{model}/versions/{version}/optimize", new { technique = "distill", studentHidden = 12 });
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization", larger, "smaller than its teacher's 8");
        var largerAnalysis = await engineer.PostAsJsonAsync("/v1/optimization/analyze", new { model, studentHidden = 8 });
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization", largerAnalysis, "smaller than its teacher's 8");
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization",
            await engineer.PostAsJsonAsync($"/v1/models/{model}/versions/{version}/optimize", new { technique = "quantum" }), "technique");
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization",
            await engineer.PostAsJsonAsync($"/v1/models/{model}/versions/{version}/optimize", new { }), "does nothing");

        // Registered by hand: no dataset in its lineage to judge on, and no population to teach as an ensemble.
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization",
            await engineer.PostAsJsonAsync("/v1/optimization/analyze", new { model = registered }), "names no dataset");
        var upload = await fixture.Http.PostAsync("/v1/datasets?name=yes-no-ten&label=label",
            RegistryRequests.Csv("a,b,label\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},{i % 3},{(i % 2 == 0 ? "yes" : "no")}\n"))));
        upload.EnsureSuccessStatusCode();
        var dataset = (await upload.JsonAsync()).GetProperty("name").GetString();
        await AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-optimization",
            await engineer.PostAsJsonAsync($"/v1/models/{registered}/versions/1/optimize", new { studentHidden = 1, ensembleTeacher = true, distillEpochs = 1, dataset }),
            "training population");
        await AssertProblemAsync(HttpStatusCode.NotFound, "dataset-not-found",
            await engineer.PostAsJsonAsync($"/v1/models/{model}/versions/{version}/optimize", new { technique = "int8", dataset = "no-such-dataset" }));
    }

    private static async Task AssertProblemAsync(HttpStatusCode status, string code, HttpResponseMessage response, string? detail = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (detail is not null)
        {
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
