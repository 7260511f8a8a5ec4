using System.Security.Cryptography;
using System.Text;
using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Persistence.Audit;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Net.Http.Headers;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// <c>/graphql</c>, GraphQL over HTTP: <c>POST</c> of <c>application/json</c> <c>{"query", "variables", "operationName"}</c>,
/// or <c>GET ?query=&amp;variables=&amp;operationName=</c> for queries only. Signed-in callers only (a 401 problem
/// otherwise, as on REST); each field then checks its own permission. The answer is the GraphQL result as JSON, 200 even
/// when it holds errors; an unreadable request is a 400 problem.
/// </summary>
internal static class GraphQLEndpoint
{
    public const string Path = "/graphql";

    public static IEndpointRouteBuilder MapGalaxyGraphQL(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, PostAsync).RequireAuthorization().RequireRateLimiting(RateLimitGroups.Models).WithTags("GraphQL")
            .Accepts<GraphQLRequestBody>("application/json").Produces<GraphQLResponseBody>(StatusCodes.Status200OK)
            .WithName("GraphQL").WithSummary("Runs a GraphQL query or mutation (the seed's schema: galaxyModels, modelById, performanceReport, deployModel, requestCEOApproval, …).");
        routes.MapGet(Path, GetAsync).RequireAuthorization().RequireRateLimiting(RateLimitGroups.Models).WithTags("GraphQL")
            .Produces<GraphQLResponseBody>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .WithName("GraphQLQuery").WithSummary("Runs a GraphQL query given in the query string; mutations need POST.");
        return routes;
    }

    private static async Task<IResult> PostAsync(
        HttpContext http, IDocumentExecuter<ISchema> executer, IGraphQLTextSerializer serializer, AuditLog audit, TimeProvider clock)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType("application/json");
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var text = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        GraphQLRequest? request;
        try
        {
            request = serializer.Deserialize<GraphQLRequest>(text);
        }
        catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return Malformed();
        }

        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            return Problems.InvalidInput("'query' is required: a GraphQL document.");
        }

        var context = new GalaxyUserContext(http);
        var result = await ExecuteAsync(http, executer, request, context);
        await AuditAsync(http, audit, clock, context, Convert.ToHexStringLower(SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length))));
        return new GraphQLResult(result, serializer);
    }

    private static async Task<IResult> GetAsync(
        HttpContext http, IDocumentExecuter<ISchema> executer, IGraphQLTextSerializer serializer, string? query = null, string? variables = null,
        string? operationName = null)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return Problems.InvalidInput("'query' (query string) is required: a GraphQL document.");
        }

        Inputs? inputs;
        try
        {
            inputs = variables is null ? null : serializer.Deserialize<Inputs>(variables);
        }
        catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return Malformed();
        }

        if (IsMutation(query, operationName))
        {
            return Problems.Create(
                StatusCodes.Status405MethodNotAllowed, "method-not-allowed", "Mutations need POST", "GET runs queries only; send a mutation with POST.");
        }

        var request = new GraphQLRequest { Query = query, Variables = inputs, OperationName = operationName };
        return new GraphQLResult(await ExecuteAsync(http, executer, request, new GalaxyUserContext(http)), serializer);
    }

    private static Task<ExecutionResult> ExecuteAsync(HttpContext http, IDocumentExecuter<ISchema> executer, GraphQLRequest request, GalaxyUserContext context) =>
        executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            Variables = request.Variables,
            OperationName = request.OperationName,
            User = http.User,
            UserContext = context,
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
        });

    /// <summary>Whether the operation a GET would run is a mutation (a document that does not parse is left to the executor to report).</summary>
    private static bool IsMutation(string query, string? operationName)
    {
        GraphQLDocument document;
        try
        {
            document = GraphQLParser.Parser.Parse(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException)
        {
            return false;
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var chosen = operationName is null ? operations.FirstOrDefault() : operations.FirstOrDefault(operation => operation.Name?.StringValue == operationName);
        return chosen?.Operation == OperationType.Mutation;
    }

    /// <summary>Each mutation the request ran is appended to the audit chain, as its REST route's request would be.</summary>
    private static async Task AuditAsync(HttpContext http, AuditLog audit, TimeProvider clock, GalaxyUserContext context, string digest)
    {
        foreach (var (action, field, status) in context.Audited)
        {
            await audit.AppendAsync(
                new AuditEntry(clock.GetUtcNow(), GuardianClaims.SubjectOf(http.User), action, $"{Path}#{field}", status, digest), http.RequestAborted);
        }
    }

    private static ProblemHttpResult Malformed() => Problems.Create(
        StatusCodes.Status400BadRequest, "malformed-request", "Malformed request",
        "The body is not a GraphQL request: JSON with 'query' and optionally 'variables' (an object) and 'operationName'.");

    /// <summary>The GraphQL result, serialized by graphql-dotnet (errors in the GraphQL shape, codes in their extensions).</summary>
    private sealed class GraphQLResult(ExecutionResult result, IGraphQLTextSerializer serializer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            return httpContext.Response.WriteAsync(serializer.Serialize(result), httpContext.RequestAborted);
        }
    }
}
