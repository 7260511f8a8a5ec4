using System.Net;
using System.Reflection;
using System.Text;
using Galaxy.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The SDK covers the gateway, mechanically: every public method of <see cref="GalaxyClient"/> is called twice (with its
/// optional parameters left out, then given, so that a method whose route depends on one, such as a model's deployments,
/// shows both), against a handler that records what it is asked and answers nothing useful; each request is matched to the
/// route the gateway maps for it, and every mapped route must be reached by some method or be listed here, with the
/// reason it is not the SDK's. A route added without its method, or a method whose route went away, fails.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SdkCoverageTests(GatewayFixture fixture)
{
    /// <summary>Routes that are not for apps, with why.</summary>
    private static readonly Dictionary<string, string> NotTheSdks = new()
    {
        ["GET /openapi/{documentName}.json"] = "the OpenAPI document itself, for client generators",
        ["GET /health/live"] = "an orchestrator's liveness probe",
        ["GET /health/ready"] = "an orchestrator's readiness probe",
        ["GET /metrics"] = "Prometheus's scrape",
        ["GET /signin"] = "the dashboard's sign-in page, for browsers",
        ["POST /signin/session"] = "the dashboard's browser session",
        ["GET /graphql"] = "GraphQL queries for browsers and caches; the SDK POSTs every document (GraphQLAsync)",
    };

    /// <summary>Every route under it is the dashboards' (Orleans' and the Galaxy page's data), for browsers.</summary>
    private const string DashboardPrefix = "/dashboard";

    [Fact]
    public async Task Every_mapped_route_has_an_SDK_method_and_every_SDK_method_reaches_a_mapped_route()
    {
        var routes = MappedRoutes();
        var reached = new Dictionary<string, List<string>>();
        var strays = new List<string>();
        foreach (var method in typeof(GalaxyClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(method => !method.IsSpecialName))
        {
            var requests = (await RequestsOfAsync(method, optionalGiven: false)).Concat(await RequestsOfAsync(method, optionalGiven: true)).ToList();
            if (requests.Count == 0)
            {
                strays.Add($"{method.Name} sent no request");
            }

            foreach (var (verb, path) in requests)
            {
                var route = routes.Where(route => route.Method == verb && route.Matcher.TryMatch(path, new RouteValueDictionary())).OrderBy(route => route.Parameters).FirstOrDefault();
                if (route is null)
                {
                    strays.Add($"{method.Name} sent {verb} {path}, which no route maps");
                }
                else
                {
                    (reached.TryGetValue(route.Name, out var methods) ? methods : reached[route.Name] = []).Add(method.Name);
                }
            }
        }

        var uncovered = routes.Select(route => route.Name)
            .Where(route => !reached.ContainsKey(route) && !NotTheSdks.ContainsKey(route) && !route.Contains(" " + DashboardPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(uncovered.Count == 0, "Routes without an SDK method:\n" + string.Join("\n", uncovered));
        Assert.True(strays.Count == 0, string.Join("\n", strays));
        Assert.Empty(NotTheSdks.Keys.Except(routes.Select(route => route.Name)));
        Assert.Empty(NotTheSdks.Keys.Intersect(reached.Keys));
        Assert.Contains("POST /v1/guardian/approvals/{id}/decision", reached.Keys);
    }

    private sealed record MappedRoute(string Method, string Name, TemplateMatcher Matcher, int Parameters);

    private List<MappedRoute> MappedRoutes() =>
        fixture.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var name = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(Text))));
                var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary());
                return (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                    .Select(method => new MappedRoute(method, $"{method} {name}", matcher, endpoint.RoutePattern.Parameters.Count));
            })
            .DistinctBy(route => route.Name)
            .ToList();

    /// <summary>A route's segment part as its template writes it: a literal, or a parameter in braces.</summary>
    private static string Text(RoutePatternPart part) => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart parameter => $"{{{(parameter.IsCatchAll ? "**" : "")}{parameter.Name}}}",
        _ => part.ToString()!,
    };

    /// <summary>The requests <paramref name="method"/> sends when called with placeholders by a signed-in client.</summary>
    private static async Task<List<(string Method, PathString Path)>> RequestsOfAsync(MethodInfo method, bool optionalGiven)
    {
        var recorder = new RecordingGateway();
        var client = new GalaxyClient(new HttpClient(recorder) { BaseAddress = new Uri("http://gateway.test") }, new GalaxyClientOptions { MaxRetries = 0 });
        await client.SignInAsync("someone", "a password");
        recorder.Requests.Clear();
        try
        {
            await CompleteAsync(method.Invoke(client, [.. method.GetParameters().Select(parameter => Placeholder(parameter, optionalGiven))]));
        }
        catch (Exception)
        {
            // The recorder answers every call 404: what the method makes of that does not matter here, only what it asked.
        }

        return recorder.Requests;
    }

    private static object? Placeholder(ParameterInfo parameter, bool optionalGiven)
    {
        if (parameter.HasDefaultValue && (!optionalGiven || parameter.ParameterType == typeof(CancellationToken)))
        {
            return parameter.DefaultValue;
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return type == typeof(string) ? "x"
            : type == typeof(Guid) ? Guid.NewGuid()
            : type == typeof(int) ? 1
            : type == typeof(long) ? 1L
            : type == typeof(bool) ? true
            : type == typeof(Stream) ? new MemoryStream(Encoding.UTF8.GetBytes("a,label\n1,x\n"))
            : type.IsArray ? Array.CreateInstance(type.GetElementType()!, 0)
            : type.IsValueType ? Activator.CreateInstance(type)
            : null;
    }

    /// <summary>Awaits a call's task, or reads its stream to the end.</summary>
    private static async Task CompleteAsync(object? call)
    {
        if (call is Task task)
        {
            await task;
            return;
        }

        var stream = call!.GetType().GetInterfaces().Single(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
        var enumerator = stream.GetMethod(nameof(IAsyncEnumerable<int>.GetAsyncEnumerator))!.Invoke(call, [CancellationToken.None])!;
        var moveNext = typeof(IAsyncEnumerator<>).MakeGenericType(stream.GetGenericArguments()).GetMethod(nameof(IAsyncEnumerator<int>.MoveNextAsync))!;
        while (await (ValueTask<bool>)moveNext.Invoke(enumerator, null)!)
        {
        }
    }

    /// <summary>Answers a sign-in with a token and every other request with a 404 problem, and records each request.</summary>
    private sealed class RecordingGateway : HttpMessageHandler
    {
        public List<(string Method, PathString Path)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            Requests.Add((request.Method.Method, new PathString(Uri.UnescapeDataString(path).TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/")));
            return Task.FromResult(path == "/v1/auth/token"
                ? new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(
                        """{"accessToken":"a","tokenType":"Bearer","expiresIn":3600,"refreshToken":"r","refreshExpiresIn":86400,"role":"LEAD_AI"}""",
                        Encoding.UTF8, "application/json"),
                }
                : new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent("""{"status":404,"code":"not-found","title":"Not found"}""", Encoding.UTF8, "application/problem+json"),
                });
        }
    }
}
