using System.Text.Json;

namespace Galaxy.Contracts;

/// <summary><c>POST /graphql</c>: a GraphQL document, its variables (an object) and which of its operations to run.</summary>
public sealed record GraphQLRequestBody(string? Query, JsonElement? Variables = null, string? OperationName = null);

/// <summary>A GraphQL answer: <c>Data</c> as the query selected it, and <c>Errors</c> (each with <c>extensions.code</c>, REST's stable code).</summary>
public sealed record GraphQLResponseBody(JsonElement? Data, GraphQLError[]? Errors);

/// <summary>One GraphQL error: its message, where it happened, and its extensions (<c>code</c>).</summary>
public sealed record GraphQLError(string Message, JsonElement? Path, JsonElement? Extensions)
{
    /// <summary>The stable code (<c>forbidden</c>, <c>model-not-found</c>, …), as REST's problem would carry it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Code => Extensions is { ValueKind: JsonValueKind.Object } extensions && extensions.TryGetProperty("code", out var code) ? code.GetString() : null;
}
