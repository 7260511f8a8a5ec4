using Galaxy.Contracts;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.RateLimits;

namespace Galaxy.Gateway.Guardian;

/// <summary>Sign-in, token refresh, and API keys: <c>/v1/auth</c>.</summary>
internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/v1/auth").WithTags("Auth");
        auth.MapPost("/token", SignIn).AllowAnonymous().RequireRateLimiting(RateLimitGroups.SignIn).Audited("auth.token", anonymous: true)
            .WithName("SignIn").WithSummary("Exchange a password (and a TOTP code for CEO and CTO) for an access and a refresh token.");
        auth.MapPost("/refresh", Refresh).AllowAnonymous().RequireRateLimiting(RateLimitGroups.SignIn).Audited("auth.refresh", anonymous: true)
            .WithName("Refresh").WithSummary("Exchange a refresh token, once, for a new pair.");

        var keys = auth.MapGroup("/api-keys").RequireAuthorization(Permissions.ManageApiKeys);
        keys.MapPost("/", CreateApiKey).Audited("api-key.create").WithName("CreateApiKey").WithSummary("A new API key for an inference client, shown once.");
        keys.MapGet("/", ListApiKeys).WithName("ListApiKeys").WithSummary("Every API key, without its secret.");
        keys.MapDelete("/{id}", RevokeApiKey).Audited("api-key.revoke").WithName("RevokeApiKey").WithSummary("Revoke an API key at once.");
        return auth;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SignIn(
        SignInRequest request, HttpContext context, AccountDirectory accounts, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return Problems.InvalidInput("'username' and 'password' are required.");
        }

        AuditTrail.NamePrincipal(context, request.Username);
        var outcome = accounts.SignIn(request.Username, request.Password, request.Totp);
        if (outcome.Account is not { } account)
        {
            return outcome.Problem!;
        }

        return TypedResults.Ok(await tokens.IssueAsync(account, Guid.CreateVersion7(), null, cancellationToken));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(
        RefreshRequest request, HttpContext context, AccountDirectory accounts, RefreshTokenStore refreshTokens, TokenIssuer tokens,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return Problems.InvalidInput("'refreshToken' is required.");
        }

        var redemption = await refreshTokens.RedeemAsync(request.RefreshToken, tokens.RefreshLifetime, cancellationToken);
        if (redemption.Failure is { } failure)
        {
            return Problems.RefreshRefused(failure);
        }

        AuditTrail.NamePrincipal(context, redemption.Account!);
        return accounts.Find(redemption.Account!) is { } account
            ? TypedResults.Ok(await tokens.IssueAsync(account, redemption.FamilyId, redemption.Successor, cancellationToken))
            : Problems.InvalidCredentials();
    }

    private static async Task<Results<Created<ApiKeyCreated>, ProblemHttpResult>> CreateApiKey(
        CreateApiKeyRequest request, HttpContext context, ApiKeyStore keys, ILogger<ApiKeyStore> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            return Problems.InvalidInput("'name' is required: 1 to 100 characters.");
        }

        var issued = await keys.CreateAsync(request.Name, GuardianClaims.SubjectOf(context.User), cancellationToken);
        GuardianLog.ApiKeyCreated(logger, issued.Info.Id, GuardianClaims.SubjectOf(context.User));
        return TypedResults.Created($"/v1/auth/api-keys/{issued.Info.Id}", new ApiKeyCreated(issued.Info.Id, issued.Info.Name, issued.Key, issued.Info.CreatedAt));
    }

    private static async Task<Ok<ApiKeyResponse[]>> ListApiKeys(ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken))
            .Select(key => new ApiKeyResponse(key.Id, key.Name, key.CreatedBy, key.CreatedAt, key.RevokedAt)).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(string id, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var keyId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid-id", "Invalid API key id", "API key ids are GUIDs.");
        }

        return await keys.RevokeAsync(keyId, cancellationToken) ? TypedResults.NoContent() : Problems.ApiKeyNotFound(keyId);
    }
}
