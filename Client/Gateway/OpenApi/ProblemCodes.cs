namespace Galaxy.Gateway.OpenApi;

/// <summary>
/// The stable problem codes the gateway answers with, by status (<see cref="Problems"/>, <see cref="GatewayExceptionHandler"/>,
/// authentication and the framework's own): what the OpenAPI document lists for each error response.
/// </summary>
internal static class ProblemCodes
{
    private static readonly Dictionary<int, string[]> ByStatus = new()
    {
        [StatusCodes.Status400BadRequest] =
        [
            "invalid-input", "invalid-id", "malformed-request", "bad-request", "invalid-if-match", "invalid-dataset", "invalid-training-request",
            "invalid-deployment", "invalid-evaluation",
        ],
        [StatusCodes.Status401Unauthorized] =
        [
            "unauthenticated", "invalid-credentials", "totp-required", "invalid-refresh-token", "refresh-token-reused", "refresh-token-expired",
            "mfa-required", "no-galaxy-role",
        ],
        [StatusCodes.Status403Forbidden] = ["forbidden"],
        [StatusCodes.Status404NotFound] =
        [
            "unit-not-found", "labscape-not-found", "model-not-found", "version-not-found", "alias-not-found", "dataset-not-found",
            "training-job-not-found", "deployment-not-found", "approval-not-found", "api-key-not-found", "request-not-found", "not-found",
        ],
        [StatusCodes.Status409Conflict] =
        [
            "model-exists", "dataset-exists", "dataset-in-use", "illegal-transition", "version-not-deployable", "not-rollbackable", "approval-decided",
            "model-not-served", "audit-chain-broken",
        ],
        [StatusCodes.Status412PreconditionFailed] = ["revision-mismatch"],
        [StatusCodes.Status413PayloadTooLarge] = ["body-too-large"],
        [StatusCodes.Status415UnsupportedMediaType] = ["unsupported-media-type"],
        [StatusCodes.Status422UnprocessableEntity] = ["step-rejected", "personal-data"],
        [StatusCodes.Status429TooManyRequests] = ["rate-limited", "overloaded"],
        [StatusCodes.Status503ServiceUnavailable] = ["cluster-unavailable", "storage-unavailable", "checkpoints-unavailable", "gateway-overloaded"],
        [StatusCodes.Status504GatewayTimeout] = ["deadline-exceeded", "no-answer"],
    };

    public static string[] ForStatus(int status) => ByStatus.TryGetValue(status, out var codes) ? codes : [Problems.CodeForStatus(status)];

    public static string ExampleDetail(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "'input' is required: 1…256 numbers, as many as the unit's model takes.",
        StatusCodes.Status401Unauthorized => "Sign in: send a bearer token or an API key.",
        StatusCodes.Status403Forbidden => "Your role does not hold this endpoint's permission.",
        StatusCodes.Status404NotFound => "unit 1048576 does not exist: ids run from 0 to 1048575.",
        StatusCodes.Status409Conflict => "A model named digits exists already.",
        StatusCodes.Status412PreconditionFailed => "Unit 7 is at revision 18, not 17.",
        StatusCodes.Status413PayloadTooLarge => "This request's body may hold at most 4194304 bytes.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        StatusCodes.Status422UnprocessableEntity => "The step would have made a parameter of unit 7 non-finite; the unit is unchanged.",
        StatusCodes.Status429TooManyRequests => "Too many inference requests from this principal; retry after 12 s.",
        StatusCodes.Status503ServiceUnavailable => "The request could not reach the silo that serves it; retry shortly.",
        StatusCodes.Status504GatewayTimeout => "The deadline of 50 ms passed before the batch ran.",
        _ => "See the code.",
    };
}
