using Microsoft.OpenApi;

namespace Galaxy.Gateway.OpenApi;

/// <summary>
/// The health checks in the document: they are mapped by the health-check middleware, which API descriptions do not see,
/// and they are the anonymous part of the API that orchestrators call.
/// </summary>
internal static class HealthPaths
{
    private const string Tag = "Health";

    public static void AddTo(OpenApiDocument document)
    {
        document.Paths ??= new OpenApiPaths();
        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(tag => tag.Name == Tag))
        {
            document.Tags.Add(new OpenApiTag { Name = Tag, Description = "Liveness and readiness, for orchestrators: anonymous." });
        }

        document.Paths["/health/live"] = Health(document, "Liveness", "The process answers: always Healthy while it runs.");
        document.Paths["/health/ready"] = Health(document, "Readiness", "Healthy while PostgreSQL and the cluster answer; Unhealthy (503) otherwise.");
    }

    private static OpenApiPathItem Health(OpenApiDocument document, string name, string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                OperationId = name,
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                Security = [],
                Responses = new OpenApiResponses
                {
                    ["200"] = PlainText("Healthy"),
                    ["503"] = PlainText("Unhealthy"),
                },
            },
        },
    };

    private static OpenApiResponse PlainText(string status) => new()
    {
        Description = status,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = status },
        },
    };
}
