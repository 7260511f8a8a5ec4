using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The OpenAPI document a client generator would be given: a valid OpenAPI document that lists every route the gateway
/// maps, says on each operation which credentials it takes, and describes every error with the problem schema.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiDocumentTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_document_reads_and_validates_without_errors()
    {
        var json = await fixture.Http.GetStringAsync("/openapi/v1.json");

        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!);
    }

    [Fact]
    public async Task The_document_lists_every_mapped_route()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}"))
            .ToHashSet();

        var mapped = fixture.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} /{endpoint.RoutePattern.RawText!.Trim('/')}"))
            // The document itself, and the Orleans dashboard's own pages and data (operators' HTML, behind the dashboard permission).
            .Where(route => !route.EndsWith("/openapi/{documentName}.json", StringComparison.Ordinal) && !route.Contains(" /dashboard", StringComparison.Ordinal))
            .ToHashSet();

        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(documented));
        Assert.Contains("GET /health/ready", documented);
    }

    [Fact]
    public async Task Every_operation_names_its_credentials_and_describes_its_errors_as_problems()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());

        foreach (var (route, operation) in Operations(document))
        {
            var security = operation.GetProperty("security").EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name)).ToList();
            var anonymous = route is "POST /v1/auth/token" or "POST /v1/auth/refresh" or "GET /health/live" or "GET /health/ready";
            Assert.True(anonymous ? security.Count == 0 : security.Contains("bearer"), $"{route}: security {string.Join(", ", security)}");

            var responses = operation.GetProperty("responses");
            Assert.True(anonymous || responses.TryGetProperty("401", out _), $"{route} does not describe its 401");
            foreach (var response in responses.EnumerateObject().Where(response => response.Name[0] is '4' || (response.Name[0] is '5' && !route.StartsWith("GET /health", StringComparison.Ordinal))))
            {
                var problem = response.Value.GetProperty("content").GetProperty("application/problem+json");
                Assert.Equal("#/components/schemas/Problem", problem.GetProperty("schema").GetProperty("$ref").GetString());
                Assert.StartsWith("https://galaxy.dev/problems/", problem.GetProperty("example").GetProperty("type").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("POST /v1/models/{id}/inference", true)]
    [InlineData("POST /v1/units/{id}/predict", true)]
    [InlineData("POST /v1/units/{id}/learn", false)]
    [InlineData("POST /v1/models/{id}/deployments", false)]
    public async Task An_API_key_is_offered_only_where_the_matrix_lets_API_keys_in(string route, bool apiKey)
    {
        var operation = Operations(await DocumentAsync()).Single(found => found.Route == route).Operation;

        var schemes = operation.GetProperty("security").EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name));

        Assert.Equal(apiKey, schemes.Contains("apiKey"));
    }

    [Fact]
    public async Task Learn_describes_its_own_errors_and_its_body_has_an_example()
    {
        var learn = Operations(await DocumentAsync()).Single(found => found.Route == "POST /v1/units/{id}/learn").Operation;

        var statuses = learn.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "404", "412", "413", "415", "422", "429", "503", "504" }, statuses);
        Assert.Contains("revision-mismatch", learn.GetProperty("responses").GetProperty("412").GetProperty("description").GetString(), StringComparison.Ordinal);
        var body = learn.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").GetProperty(body.GetProperty("$ref").GetString()!.Split('/')[^1]);
        Assert.Equal(JsonValueKind.Array, schema.GetProperty("examples")[0].GetProperty("target").ValueKind);
    }

    private async Task<JsonElement> DocumentAsync() => await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

    private static IEnumerable<(string Route, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => ($"{operation.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}", operation.Value)));
}
