namespace Galaxy.Gateway;

/// <summary>
/// Every client error the gateway returns: RFC 7807 problem details with a stable <c>code</c> extension that
/// clients can switch on, whatever the wording of the title.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult InvalidId(string kind, string value) => Create(
        StatusCodes.Status400BadRequest, "invalid-id", $"Invalid {kind} id",
        $"'{Truncate(value)}' is not a {kind} id: ids are non-negative integers.");

    public static ProblemHttpResult NotFound(string kind, long id, long count) => Create(
        StatusCodes.Status404NotFound, $"{kind}-not-found", $"No such {kind}",
        $"{kind} {id} does not exist: ids run from 0 to {count - 1}.");

    public static ProblemHttpResult InvalidInput(string detail) => Create(
        StatusCodes.Status400BadRequest, "invalid-input", "Invalid input", detail);

    public static ProblemHttpResult StepRejected(long unitId) => Create(
        StatusCodes.Status422UnprocessableEntity, "step-rejected", "Learn step rejected",
        $"The step would have made a parameter of unit {unitId} non-finite; the unit is unchanged.");

    /// <summary>A conditional learn's If-Match named another revision; <c>revision</c> carries the unit's current one.</summary>
    public static ProblemHttpResult RevisionMismatch(RevisionMismatchException mismatch) => TypedResults.Problem(
        detail: mismatch.Message,
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Unit revision changed",
        type: "https://galaxy.dev/problems/revision-mismatch",
        extensions: new Dictionary<string, object?> { ["code"] = "revision-mismatch", ["revision"] = mismatch.Actual });

    public static ProblemHttpResult BodyTooLarge() => Create(
        StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large",
        $"Request bodies may hold at most {BodyLimit.MaxBytes} bytes.");

    public static ProblemHttpResult ClusterUnavailable(string detail) => Create(
        StatusCodes.Status503ServiceUnavailable, "cluster-unavailable", "The cluster is unavailable", detail);

    public static ProblemHttpResult InvalidCredentials() => Create(
        StatusCodes.Status401Unauthorized, "invalid-credentials", "Sign-in refused", "Unknown account, wrong password or wrong TOTP code.");

    public static ProblemHttpResult TotpRequired(string role) => Create(
        StatusCodes.Status401Unauthorized, "totp-required", "A TOTP code is required", $"{role} accounts sign in with a password and a TOTP code.");

    public static ProblemHttpResult RefreshRefused(Guardian.RedemptionFailure failure) => failure switch
    {
        Guardian.RedemptionFailure.Reused => Create(
            StatusCodes.Status401Unauthorized, "refresh-token-reused", "Refresh token reused",
            "This refresh token was already used: every token of its session is revoked. Sign in again."),
        Guardian.RedemptionFailure.Expired => Create(
            StatusCodes.Status401Unauthorized, "refresh-token-expired", "Refresh token expired", "Sign in again."),
        _ => Create(StatusCodes.Status401Unauthorized, "invalid-refresh-token", "Unknown refresh token", "Sign in again."),
    };

    public static ProblemHttpResult ApiKeyNotFound(Guid id) => Create(
        StatusCodes.Status404NotFound, "api-key-not-found", "No such API key", $"No unrevoked API key has id {id}.");

    public static ProblemHttpResult RateLimited(string group, TimeSpan retryAfter) => Create(
        StatusCodes.Status429TooManyRequests, "rate-limited", "Rate limit reached",
        $"Too many {group} requests from this principal; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.");

    /// <summary>
    /// The stable code of a problem the framework wrote without one (authentication, authorization, routing), by status.
    /// </summary>
    public static string CodeForStatus(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad-request",
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status406NotAcceptable => "not-acceptable",
        StatusCodes.Status413PayloadTooLarge => "body-too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status429TooManyRequests => "rate-limited",
        >= 500 => "internal-error",
        _ => "client-error",
    };

    public static ProblemHttpResult Create(int status, string code, string title, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            type: $"https://galaxy.dev/problems/{code}",
            extensions: new Dictionary<string, object?> { ["code"] = code });

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
