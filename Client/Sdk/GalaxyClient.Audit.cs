using System.Globalization;
using System.Text.Json;
using Galaxy.Contracts;

namespace Galaxy.Client;

// The audit chain (/v1/audit) and GraphQL (/graphql).
public sealed partial class GalaxyClient
{
    /// <summary>Audit rows after sequence number <paramref name="after"/>, oldest first; at most <paramref name="limit"/> (1…1000).</summary>
    public Task<AuditRecordResponse[]> ReadAuditAsync(long after = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<AuditRecordResponse[]>(HttpMethod.Get, "/v1/audit" + Query(
            [("after", after.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture))]), null, cancellationToken);

    /// <summary>The signed checkpoints of the audit chain, oldest first.</summary>
    public Task<AuditCheckpointResponse[]> ListAuditCheckpointsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<AuditCheckpointResponse[]>(HttpMethod.Get, "/v1/audit/checkpoints", null, cancellationToken);

    /// <summary>
    /// Signs a checkpoint of the rows appended since the last one and hands it to the witness; null when there were none.
    /// Not repeated after a 503: the first attempt may have signed.
    /// </summary>
    public Task<AuditCheckpointResponse?> CheckpointAuditAsync(CancellationToken cancellationToken = default) =>
        SendAsync<AuditCheckpointResponse?>(HttpMethod.Post, "/v1/audit/checkpoints", null, cancellationToken, safeToRepeat: false);

    /// <summary>
    /// Runs a GraphQL document at <c>/graphql</c> with <paramref name="variables"/> (any object, serialized as JSON). Errors
    /// come back in the answer, each with REST's stable code (<see cref="GraphQLError.Code"/>); only an unreadable request
    /// or missing credentials throw. A query is retried on 429 and 503, a mutation only on 429.
    /// </summary>
    public Task<GraphQLResponseBody> GraphQLAsync(
        string query, object? variables = null, string? operationName = null, CancellationToken cancellationToken = default) =>
        SendAsync<GraphQLResponseBody>(
            HttpMethod.Post, "/graphql",
            new GraphQLRequestBody(query, variables is null ? null : JsonSerializer.SerializeToElement(variables, Json), operationName),
            cancellationToken, safeToRepeat: !query.TrimStart().StartsWith("mutation", StringComparison.Ordinal));
}
