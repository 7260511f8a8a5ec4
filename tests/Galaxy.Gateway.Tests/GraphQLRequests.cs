using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>GraphQL over HTTP for the tests: a POST of {query, variables}, and what the answer holds.</summary>
internal static class GraphQLRequests
{
    public static async Task<JsonElement> GraphQLAsync(this HttpClient client, string query, object? variables = null)
    {
        var response = await client.PostAsJsonAsync("/graphql", new { query, variables });
        Assert.True(response.IsSuccessStatusCode, $"POST /graphql: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The stable codes of the answer's errors (none: empty).</summary>
    public static IReadOnlyList<string?> ErrorCodes(this JsonElement answer) =>
        answer.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(error => error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var code) ? code.GetString() : null).ToList()
            : [];
}
