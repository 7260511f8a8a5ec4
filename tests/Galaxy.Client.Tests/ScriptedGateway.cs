using System.Net;
using System.Text;

namespace Galaxy.Client.Tests;

/// <summary>A gateway that answers from a script, one response per request, and remembers what it was asked.</summary>
internal sealed class ScriptedGateway(params Func<HttpResponseMessage>[] script) : HttpMessageHandler
{
    private int _next;

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Each request's body as the gateway received it (null when it had none).</summary>
    public List<string?> Bodies { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Problem(HttpStatusCode status, string code, TimeSpan? retryAfter = null)
    {
        var response = Json(status, $$"""{"status":{{(int)status}},"code":"{{code}}","title":"t","detail":"d"}""", "application/problem+json");
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }

    public GalaxyClient Client(GalaxyClientOptions? options = null) =>
        new(new HttpClient(this) { BaseAddress = new Uri("http://gateway.test") }, options ?? new GalaxyClientOptions { BaseDelay = TimeSpan.FromMilliseconds(1) });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        return script[Math.Min(_next++, script.Length - 1)]();
    }
}
