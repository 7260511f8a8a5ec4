using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Client;

/// <summary>Turns a gateway's problem-details answer into the typed exception for its status.</summary>
internal static class Problem
{
    public static async Task<GalaxyApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null, title = null, detail = null;
        long? revision = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                code = Text(problem, "code");
                title = Text(problem, "title");
                detail = Text(problem, "detail");
                revision = Number(problem, "revision");
            }
            catch (JsonException)
            {
                // Not a problem document after all: the status alone speaks.
            }
        }

        var status = response.StatusCode;
        code ??= $"http-{(int)status}";
        return status switch
        {
            HttpStatusCode.Unauthorized => new GalaxyAuthenticationException(status, code, title, detail),
            HttpStatusCode.Forbidden => new GalaxyForbiddenException(status, code, title, detail),
            HttpStatusCode.NotFound => new GalaxyNotFoundException(status, code, title, detail),
            HttpStatusCode.PreconditionFailed => new GalaxyRevisionMismatchException(status, code, title, detail, revision),
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
                new GalaxyUnavailableException(status, code, title, detail, RetryPolicy.RetryAfter(response)),
            >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => new GalaxyInvalidRequestException(status, code, title, detail),
            _ => new GalaxyApiException(status, code, title, detail),
        };
    }

    private static long? Number(JsonElement problem, string name) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(name, out var value) && value.TryGetInt64(out var number)
            ? number
            : null;

    private static string? Text(JsonElement problem, string name) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
