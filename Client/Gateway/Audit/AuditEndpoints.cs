using Galaxy.Contracts;
using Galaxy.Gateway.Guardian;
using Galaxy.Persistence.Audit;

namespace Galaxy.Gateway.Audit;

/// <summary>
/// The audit chain: <c>GET /v1/audit</c> pages through it, <c>GET /v1/audit/verify</c> recomputes and checks every link
/// against the witnessed checkpoints, <c>/v1/audit/checkpoints</c> lists them and signs one on demand.
/// </summary>
internal static class AuditEndpoints
{
    public const int MaxPage = 1_000;

    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("/v1/audit").WithTags("Audit").RequireAuthorization(Permissions.Audit);
        audit.MapGet("/", Read).WithName("ReadAudit").WithSummary("Audit rows after a sequence number, oldest first.");
        audit.MapGet("/verify", Verify).WithName("VerifyAudit")
            .WithSummary("Recomputes the whole chain in the gateway and holds it to the signed checkpoints; names the first broken row and the checkpoint it broke.");
        audit.MapGet("/checkpoints", Checkpoints).WithName("ListAuditCheckpoints").WithSummary("The signed checkpoints, oldest first.");
        audit.MapPost("/checkpoints", Checkpoint).Audited("audit.checkpoint").ProducesProblem(StatusCodes.Status409Conflict).WithName("CheckpointAudit")
            .WithSummary("Signs a checkpoint of the rows appended since the last one and hands it to the witness.");
        return audit;
    }

    private static async Task<Results<Ok<AuditRecordResponse[]>, ProblemHttpResult>> Read(
        AuditChain chain, CancellationToken cancellationToken, long after = 0, int limit = 100)
    {
        if (after < 0 || limit is < 1 or > MaxPage)
        {
            return Problems.InvalidInput($"'after' must be ≥ 0 and 'limit' in 1…{MaxPage}.");
        }

        return TypedResults.Ok((await chain.ReadAsync(after, limit, cancellationToken)).Select(AuditMapping.ToResponse).ToArray());
    }

    private static async Task<Ok<AuditReportResponse>> Verify(AuditChain chain, CancellationToken cancellationToken) =>
        TypedResults.Ok((await chain.VerifyAsync(cancellationToken)).ToResponse());

    private static async Task<Ok<AuditCheckpointResponse[]>> Checkpoints(AuditChain chain, CancellationToken cancellationToken) =>
        TypedResults.Ok((await chain.CheckpointsAsync(cancellationToken)).Select(AuditMapping.ToResponse).ToArray());

    private static async Task<Results<Created<AuditCheckpointResponse>, NoContent, ProblemHttpResult>> Checkpoint(
        AuditChain chain, CancellationToken cancellationToken)
    {
        if (!chain.CanSign)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "checkpoints-unavailable", "This gateway cannot sign checkpoints",
                "It holds no audit signing key (Galaxy:Audit:SigningKeyFile).");
        }

        try
        {
            return await chain.CheckpointAsync(cancellationToken) is { } written
                ? TypedResults.Created($"/v1/audit/checkpoints/{written.Id}", written.ToResponse())
                : TypedResults.NoContent();
        }
        catch (AuditChainBrokenException broken)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "audit-chain-broken", "The audit chain does not verify", broken.Message);
        }
    }
}
