using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Every cell of the permission matrix written in docs/security.md, asked of the running gateway: ✓ must answer 2xx,
/// – must answer 403 (401 when anonymous). And every endpoint the gateway maps must have a row.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PermissionMatrixTests(GatewayFixture fixture)
{
    private const string ApiKeyColumn = "API key";
    private const string AnonymousColumn = "anonymous";

    private static readonly float[] Input = new float[16];

    // Routes the matrix leaves to the prose of docs/security.md: credential exchange, sign-in, and Orleans's dashboard.
    private static readonly string[] UnlistedPrefixes = ["/v1/auth/token", "/v1/auth/refresh", "/signin", " /dashboard"];

    public static TheoryData<string, string, bool> Cells()
    {
        var cells = new TheoryData<string, string, bool>();
        foreach (var (endpoint, allowed) in WrittenMatrix.Rows)
        {
            foreach (var (principal, isAllowed) in allowed)
            {
                cells.Add(endpoint, principal, isAllowed);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_principal_gets_what_the_matrix_says(string endpoint, string principal, bool allowed)
    {
        using var client = await ClientForAsync(principal);

        var response = await SendAsync(client, endpoint);

        var denied = principal == AnonymousColumn ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{principal} → {endpoint}: {(int)response.StatusCode}, expected 2xx");
        }
        else
        {
            Assert.Equal(denied, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public void Every_mapped_endpoint_has_a_row_in_the_written_matrix()
    {
        var mapped = fixture.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} /{endpoint.RoutePattern.RawText!.Trim('/').Replace("{documentName}", "v1", StringComparison.Ordinal)}"))
            .Where(endpoint => !UnlistedPrefixes.Any(prefix => endpoint.Contains(prefix, StringComparison.Ordinal)) || endpoint.Contains("/dashboard/galaxy", StringComparison.Ordinal))
            .ToHashSet();
        var written = WrittenMatrix.Rows.Select(row => row.Endpoint).ToHashSet();

        Assert.Empty(mapped.Except(written));
    }

    [Fact]
    public void Every_dashboard_route_needs_the_dashboard_permission()
    {
        var dashboard = fixture.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText!.StartsWith("/dashboard", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(dashboard);
        Assert.All(dashboard, endpoint => Assert.Contains(
            endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>(),
            data => data.Policy == Guardian.Permissions.Dashboard));
    }

    private async Task<HttpClient> ClientForAsync(string principal) => principal switch
    {
        AnonymousColumn => fixture.Gateway.CreateClient(),
        ApiKeyColumn => fixture.ClientWithApiKey((await fixture.CreateApiKeyAsync("matrix")).Key),
        _ => await fixture.ClientForAsync(TestAccounts.RoleAccounts[principal]),
    };

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, string endpoint) => endpoint switch
    {
        "GET /health/live" or "GET /health/ready" or "GET /openapi/v1.json" or "GET /v1/labscapes" or "GET /v1/auth/api-keys"
            or "GET /v1/audit" or "GET /v1/audit/verify" or "GET /v1/audit/checkpoints" => await client.GetAsync(endpoint[4..]),
        "POST /v1/audit/checkpoints" => await client.PostAsync("/v1/audit/checkpoints", null),
        "GET /v1/units/{id}" => await client.GetAsync("/v1/units/3"),
        "GET /v1/labscapes/{id}" => await client.GetAsync("/v1/labscapes/1"),
        "POST /v1/units/{id}/predict" => await client.PostAsJsonAsync("/v1/units/3/predict", new { input = Input }),
        "POST /v1/units/{id}/learn" => await client.PostAsJsonAsync("/v1/units/4/learn", new { input = Input, target = new float[4] }),
        "POST /v1/units/{id}/reset" => await client.PostAsync("/v1/units/5/reset", null),
        "POST /v1/labscapes/{id}/predict" => await client.PostAsJsonAsync("/v1/labscapes/1/predict", new { units = new[] { 8 }, inputs = new[] { Input } }),
        "POST /v1/galaxy/tick" => await client.PostAsJsonAsync("/v1/galaxy/tick", new { input = Input }),
        "POST /v1/auth/api-keys" => await client.PostAsJsonAsync("/v1/auth/api-keys", new { name = "made in the matrix" }),
        "DELETE /v1/auth/api-keys/{id}" => await client.DeleteAsync($"/v1/auth/api-keys/{(await fixture.CreateApiKeyAsync("to revoke")).Id}"),
        "POST /v1/models" => await client.PostAsJsonAsync("/v1/models", new { name = RegistryRequests.UniqueName("matrix") }),
        "GET /v1/models" or "GET /v1/datasets" => await client.GetAsync(endpoint[4..]),
        "GET /v1/models/{id}" => await client.GetAsync($"/v1/models/{await ModelAsync()}"),
        "PATCH /v1/models/{id}" => await client.PatchAsJsonAsync($"/v1/models/{await ModelAsync()}", new { description = "patched" }),
        "POST /v1/models/{id}/versions" => await client.PostAsJsonAsync($"/v1/models/{await ModelAsync()}/versions", RegistryRequests.TinyVersion()),
        "GET /v1/models/{id}/versions" => await client.GetAsync($"/v1/models/{await ModelAsync()}/versions"),
        "GET /v1/models/{id}/versions/{v}" => await client.GetAsync($"/v1/models/{await ModelAsync()}/versions/1"),
        "GET /v1/models/{id}/versions/{v}/weights" => await client.GetAsync($"/v1/models/{await ModelAsync()}/versions/latest/weights"),
        "GET /v1/models/{id}/versions/{v}/evaluations" => await client.GetAsync($"/v1/models/{await ModelAsync()}/versions/1/evaluations"),
        "POST /v1/models/{id}/versions/{v}/approve" => await client.PostAsJsonAsync($"/v1/models/{await ModelAsync()}/versions/1/approve", new { reason = "matrix" }),
        "POST /v1/models/{id}/versions/{v}/retire" => await client.PostAsync($"/v1/models/{await ModelAsync()}/versions/1/retire", null),
        "GET /v1/models/{id}/aliases" => await client.GetAsync($"/v1/models/{await ModelAsync()}/aliases"),
        "PUT /v1/models/{id}/aliases/{alias}" => await client.PutAsJsonAsync($"/v1/models/{await ModelAsync()}/aliases/champion", new { version = 1 }),
        "DELETE /v1/models/{id}/aliases/{alias}" => await client.DeleteAsync($"/v1/models/{await ModelWithAliasAsync()}/aliases/champion"),
        "POST /v1/datasets" => await client.PostAsync(
            $"/v1/datasets?name={RegistryRequests.UniqueName("matrix")}&label=label", RegistryRequests.Csv(RegistryRequests.UniqueCsv())),
        "GET /v1/datasets/{id}" => await client.GetAsync($"/v1/datasets/{await RegistryRequests.DatasetAsync(fixture.Http, "matrix")}"),
        "DELETE /v1/datasets/{id}" => await client.DeleteAsync($"/v1/datasets/{await RegistryRequests.DatasetAsync(fixture.Http, "matrix")}"),
        "POST /v1/models/{id}/versions/{v}/evaluate" => await client.PostAsJsonAsync(
            $"/v1/models/{await ModelAsync()}/versions/1/evaluate", new { dataset = await TrainingRequests.YesNoDatasetAsync(fixture.Http) }),
        "POST /v1/training/jobs" => await client.PostAsJsonAsync("/v1/training/jobs", await TinyJobAsync()),
        "GET /v1/training/jobs" => await client.GetAsync("/v1/training/jobs"),
        "GET /v1/training/jobs/{id}" => await client.GetAsync($"/v1/training/jobs/{await TrainingRequests.JobAsync(fixture.Http, "matrix")}"),
        "GET /v1/training/jobs/{id}/events" => await client.GetAsync($"/v1/training/jobs/{await TrainingRequests.JobAsync(fixture.Http, "matrix")}/events"),
        "POST /v1/training/jobs/{id}/cancel" => await client.PostAsync($"/v1/training/jobs/{await TrainingRequests.JobAsync(fixture.Http, "matrix")}/cancel", null),
        "POST /v1/optimization/analyze" => await client.PostAsJsonAsync(
            "/v1/optimization/analyze", OptimizationRequests.QuickAnalysis((await OptimizationRequests.TrainedAsync(fixture.Http)).Model)),
        "POST /v1/models/{id}/versions/{v}/optimize" => await client.PostAsJsonAsync(
            $"/v1/models/{(await OptimizationRequests.TrainedAsync(fixture.Http)).Model}/versions/1/optimize", new { technique = "int8" }),
        "POST /v1/models/{id}/deployments" => await client.PostAsJsonAsync(
            $"/v1/models/{await ModelAsync()}/deployments", new { labscapes = new[] { DeploymentRequests.Labscape } }),
        "GET /v1/models/{id}/deployments" => await client.GetAsync($"/v1/models/{await ModelAsync()}/deployments"),
        "GET /v1/deployments" => await client.GetAsync("/v1/deployments"),
        "GET /v1/deployments/{id}" => await client.GetAsync($"/v1/deployments/{await AwaitingDeploymentAsync()}"),
        "POST /v1/deployments/{id}/rollback" => await client.PostAsJsonAsync($"/v1/deployments/{await AwaitingDeploymentAsync()}/rollback", new { reason = "matrix" }),
        "GET /v1/guardian/approvals" => await client.GetAsync("/v1/guardian/approvals"),
        "POST /v1/guardian/approvals" => await client.PostAsJsonAsync("/v1/guardian/approvals", new { model = await ModelAsync(), reason = "matrix" }),
        "POST /v1/guardian/approvals/{id}/decision" => await client.PostAsJsonAsync(
            $"/v1/guardian/approvals/{await PendingApprovalAsync()}/decision", new { approve = true, comment = "matrix" }),
        "GET /v1/monitoring/report" or "GET /v1/alerts" or "GET /v1/alerts/deliveries" => await client.GetAsync(endpoint[4..]),
        "GET /v1/monitoring/thresholds/{model}" => await client.GetAsync($"/v1/monitoring/thresholds/{await ModelAsync()}"),
        "PUT /v1/monitoring/thresholds/{model}" => await client.PutAsJsonAsync($"/v1/monitoring/thresholds/{await ModelAsync()}", new { latencyP95WarningMs = 50 }),
        "GET /v1/alerts/{id}" => await client.GetAsync($"/v1/alerts/{await MonitoringRequests.AlertAsync(fixture.Galaxy)}"),
        "POST /v1/alerts/{id}/acknowledge" => await client.PostAsJsonAsync(
            $"/v1/alerts/{await MonitoringRequests.AlertAsync(fixture.Galaxy)}/acknowledge", new { comment = "matrix" }),
        "POST /v1/models/{id}/inference" => await client.PostAsJsonAsync(
            $"/v1/models/{await DeploymentRequests.ServedModelAsync(fixture.Http)}/inference", new { features = Input }),
        "POST /v1/models/{id}/feedback" => await FeedbackAsync(client),
        "GET /dashboard/galaxy" => await client.GetAsync("/dashboard/galaxy"),
        "GET /dashboard/galaxy/labscapes" => await client.GetAsync("/dashboard/galaxy/labscapes"),
        "GET /dashboard/galaxy/units/{id}" => await client.GetAsync("/dashboard/galaxy/units/7"),
        "GET /dashboard/galaxy/static/{file}" => await client.GetAsync("/dashboard/galaxy/static/chart.umd.min.js"),
        "GET /dashboard/galaxy/me" => await client.GetAsync("/dashboard/galaxy/me"),
        "GET /dashboard/galaxy/models" => await client.GetAsync("/dashboard/galaxy/models"),
        "GET /dashboard/galaxy/silos" => await client.GetAsync("/dashboard/galaxy/silos"),
        "GET /dashboard/galaxy/training" => await client.GetAsync("/dashboard/galaxy/training"),
        "GET /dashboard/galaxy/deployments" => await client.GetAsync("/dashboard/galaxy/deployments"),
        "GET /dashboard/galaxy/approvals" => await client.GetAsync("/dashboard/galaxy/approvals"),
        "GET /dashboard/galaxy/alerts" => await client.GetAsync("/dashboard/galaxy/alerts"),
        "POST /graphql" => await client.PostAsJsonAsync("/graphql", new { query = "{ __typename }" }),
        "GET /graphql" => await client.GetAsync("/graphql?query=%7B__typename%7D"),
        "GET /metrics" => await client.GetAsync("/metrics"),
        _ => throw new InvalidOperationException($"The matrix names {endpoint}, which this test cannot call yet: add it here."),
    };

    /// <summary>A fresh model with one PENDING version, made as LEAD_AI, so that every cell's call can succeed.</summary>
    private Task<string> ModelAsync() => RegistryRequests.ModelWithVersionAsync(fixture.Http, "matrix");

    /// <summary>A deployment waiting for the CEO (its version's accuracy is unknown to Guardian), which serves nothing.</summary>
    private async Task<string> AwaitingDeploymentAsync()
    {
        var response = await fixture.Http.PostAsJsonAsync(
            $"/v1/models/{await ModelAsync()}/deployments", new { labscapes = new[] { DeploymentRequests.Labscape } });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private async Task<string> PendingApprovalAsync()
    {
        var response = await fixture.Http.PostAsJsonAsync("/v1/guardian/approvals", new { model = await ModelAsync(), reason = "matrix" });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>Feedback, by the principal under test, on an inference that principal was answered.</summary>
    private async Task<HttpResponseMessage> FeedbackAsync(HttpClient client)
    {
        var model = await DeploymentRequests.ServedModelAsync(fixture.Http);
        var answer = await client.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = Input });
        if (!answer.IsSuccessStatusCode)
        {
            return answer;
        }

        var requestId = (await answer.JsonAsync()).GetProperty("requestId").GetString();
        return await client.PostAsJsonAsync($"/v1/models/{model}/feedback", new { requestId, label = "c1" });
    }

    private async Task<object> TinyJobAsync()
    {
        var (model, dataset) = await TrainingRequests.ModelAndDatasetAsync(fixture.Http, "matrix");
        return TrainingRequests.TinyJob(model, dataset);
    }

    private async Task<string> ModelWithAliasAsync()
    {
        var model = await ModelAsync();
        (await fixture.Http.PutAsJsonAsync($"/v1/models/{model}/aliases/champion", new { version = 1 })).EnsureSuccessStatusCode();
        return model;
    }
}
