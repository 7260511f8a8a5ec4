using Galaxy.Gateway.Guardian;

namespace Galaxy.Gateway.Audit;

/// <summary>The audit chain: <c>GET /v1/audit</c> pages through it, <c>GET /v1/audit/verify</c> checks every link.</summary>
internal static class AuditEndpoints
{
    public const int MaxPage = 1_000;

    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("/v1/audit").WithTags("Audit").RequireAuthorization(Permissions.Audit);
        audit.MapGet("/", Read).WithName("ReadAudit").WithSummary("Audit rows after a sequence number, oldest first.");
        audit.MapGet("/verify", Verify).WithName("VerifyAudit").WithSummary("Checks the whole chain; names the first broken row.");
        return audit;
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditRecord>>, ProblemHttpResult>> Read(
        AuditChain chain, CancellationToken cancellationToken, long after = 0, int limit = 100)
    {
        if (after < 0 || limit is < 1 or > MaxPage)
        {
            return Problems.InvalidInput($"'after' must be ≥ 0 and 'limit' in 1…{MaxPage}.");
        }

        return TypedResults.Ok(await chain.ReadAsync(after, limit, cancellationToken));
    }

    private static async Task<Ok<AuditVerification>> Verify(AuditChain chain, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chain.VerifyAsync(cancellationToken));
}
