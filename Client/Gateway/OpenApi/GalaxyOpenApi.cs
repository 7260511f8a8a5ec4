using System.Text.Json.Nodes;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Galaxy.Gateway.OpenApi;

/// <summary>
/// The gateway's OpenAPI document (<c>/openapi/v1.json</c>), complete enough for a client generator: both security schemes
/// (a bearer token, an API key) and on each operation the ones it accepts, every error status it can answer with its
/// problem schema, stable codes and an example, and examples of the request bodies.
/// </summary>
internal static class GalaxyOpenApi
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";
    public const string ProblemSchema = "Problem";

    public static WebApplicationBuilder AddGalaxyOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeOperation(operation, context);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo is null && OpenApiExamples.For(context.JsonTypeInfo.Type) is { } example)
                {
                    schema.Examples = [example];
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Galaxy gateway",
            Version = "v1",
            Description = "Units, labscapes, the model registry, training, guarded deployment, inference and the audit chain. "
                + "Errors are RFC 7807 problem details whose `code` is stable; GraphQL is served beside REST at `/graphql`.",
        };
        document.Components ??= new OpenApiComponents();
        EnsureComponents(document);
        HealthPaths.AddTo(document);
    }

    /// <summary>The security schemes and the problem schema every operation refers to.</summary>
    public static void EnsureComponents(OpenApiDocument document)
    {
        var components = document.Components ??= new OpenApiComponents();
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes.TryAdd(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /v1/auth/token (or the configured OpenID Connect issuer).",
        });
        components.SecuritySchemes.TryAdd(ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.Header,
            Description = "An API key from POST /v1/auth/api-keys: inference clients only (the permission matrix's API key column).",
        });
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        components.Schemas.TryAdd(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 7807 problem details. `code` is stable: switch on it, not on the title; `type` is https://galaxy.dev/problems/{code}.",
            Required = new HashSet<string> { "type", "title", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        });
    }

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var document = context.Document!;
        EnsureComponents(document);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var permissions = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).OfType<string>().ToArray();

        operation.Security = anonymous ? [] : [.. SecurityFor(permissions, document)];

        var statuses = new SortedSet<int>();
        var route = context.Description.RelativePath ?? "";
        var takesInput = context.Description.ParameterDescriptions.Count > 0;
        if (takesInput)
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        if (context.Description.ParameterDescriptions.Any(parameter => parameter.Source.Id == "Body"))
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
            statuses.Add(StatusCodes.Status415UnsupportedMediaType);
        }

        if (!anonymous)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (permissions.Length > 0)
        {
            statuses.Add(StatusCodes.Status403Forbidden);
        }

        if (route.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }

        statuses.Add(StatusCodes.Status503ServiceUnavailable);
        foreach (var declared in metadata.OfType<IProducesResponseTypeMetadata>().Where(produced => produced.StatusCode >= 400))
        {
            statuses.Add(declared.StatusCode);
        }

        operation.Responses ??= new OpenApiResponses();
        foreach (var status in statuses)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponse(status, document);
        }
    }

    /// <summary>A bearer token always; an API key too where the API key pseudo-role holds the endpoint's permission.</summary>
    private static IEnumerable<OpenApiSecurityRequirement> SecurityFor(string[] permissions, OpenApiDocument document)
    {
        yield return new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };
        if (permissions.Length > 0 && permissions.All(permission => Permissions.Matrix.TryGetValue(permission, out var roles) && roles.Contains(Roles.ApiKey)))
        {
            yield return new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] };
        }
    }

    public static OpenApiResponse ProblemResponse(int status, OpenApiDocument document)
    {
        var codes = ProblemCodes.ForStatus(status);
        return new OpenApiResponse
        {
            Description = $"{ReasonPhrases.GetReasonPhrase(status)}: problem details; `code` is one of {string.Join(", ", codes.Select(code => $"`{code}`"))}.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchemaReference(ProblemSchema, document),
                    Example = new JsonObject
                    {
                        ["type"] = $"https://galaxy.dev/problems/{codes[0]}",
                        ["title"] = ReasonPhrases.GetReasonPhrase(status),
                        ["status"] = status,
                        ["detail"] = ProblemCodes.ExampleDetail(status),
                        ["code"] = codes[0],
                    },
                },
            },
        };
    }
}
