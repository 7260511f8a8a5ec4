using Galaxy.Registry;

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

    public static ProblemHttpResult BodyTooLarge(long maxBytes) => Create(
        StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large",
        $"This request's body may hold at most {maxBytes} bytes.");

    public static ProblemHttpResult UnsupportedMediaType(string mediaType) => Create(
        StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", $"Send the body as {mediaType}.");

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

    public static ProblemHttpResult ModelNotFound(string idOrName) => Create(
        StatusCodes.Status404NotFound, "model-not-found", "No such model", $"No model has the id or name '{Truncate(idOrName)}'.");

    public static ProblemHttpResult VersionNotFound(string model, string versionOrAlias) => Create(
        StatusCodes.Status404NotFound, "version-not-found", "No such version",
        $"Model '{model}' has no version '{Truncate(versionOrAlias)}' (a number, latest, or one of its aliases).");

    public static ProblemHttpResult DatasetNotFound(string idOrName) => Create(
        StatusCodes.Status404NotFound, "dataset-not-found", "No such dataset", $"No dataset has the id or name '{Truncate(idOrName)}'.");

    /// <summary>The registry found no model, version, alias or dataset: <c>{kind}-not-found</c>.</summary>
    public static ProblemHttpResult RegistryNotFound(RegistryNotFoundException missing) => Create(
        StatusCodes.Status404NotFound, $"{missing.Kind}-not-found", $"No such {missing.Kind}", missing.Message);

    /// <summary>A value the registry will not store; <c>field</c> names it as the request spelled it.</summary>
    public static ProblemHttpResult InvalidRegistryInput(InvalidRegistryInputException invalid) => TypedResults.Problem(
        detail: invalid.Message,
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid input",
        type: "https://galaxy.dev/problems/invalid-input",
        extensions: new Dictionary<string, object?> { ["code"] = "invalid-input", ["field"] = invalid.ParamName });

    /// <summary>An uploaded CSV that is not a dataset; <c>line</c> (1-based, header = 1) and <c>column</c> say where.</summary>
    public static ProblemHttpResult InvalidDataset(CsvDatasetException invalid) => TypedResults.Problem(
        detail: invalid.Message,
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid dataset",
        type: "https://galaxy.dev/problems/invalid-dataset",
        extensions: new Dictionary<string, object?> { ["code"] = "invalid-dataset", ["line"] = invalid.Line, ["column"] = invalid.Column });

    /// <summary>A status change the lifecycle does not allow; <c>from</c> and <c>to</c> name the two statuses.</summary>
    public static ProblemHttpResult IllegalTransition(IllegalTransitionException illegal) => TypedResults.Problem(
        detail: illegal.Message,
        statusCode: StatusCodes.Status409Conflict,
        title: "Illegal status transition",
        type: "https://galaxy.dev/problems/illegal-transition",
        extensions: new Dictionary<string, object?>
        {
            ["code"] = "illegal-transition", ["from"] = illegal.From.ToWire(), ["to"] = illegal.To.ToWire(),
        });

    /// <summary>An upload with a column that looks like personal data, which the policy refuses: <c>column</c>, <c>kind</c>, <c>line</c>.</summary>
    public static ProblemHttpResult PersonalData(Registry.PersonalData.PersonalDataException personal) => TypedResults.Problem(
        detail: personal.Message + " Remove or mask the column, or ask for the policy to change (Galaxy:Datasets:PersonalData).",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Personal data in the upload",
        type: "https://galaxy.dev/problems/personal-data",
        extensions: new Dictionary<string, object?>
        {
            ["code"] = "personal-data", ["column"] = personal.Column, ["kind"] = personal.Kind, ["line"] = personal.Line,
        });

    public static ProblemHttpResult Conflict(string code, string title, string detail) =>
        Create(StatusCodes.Status409Conflict, code, title, detail);

    public static ProblemHttpResult InvalidTrainingRequest(string detail) => Create(
        StatusCodes.Status400BadRequest, "invalid-training-request", "Invalid training request", detail);

    public static ProblemHttpResult TrainingJobNotFound(string detail) => Create(
        StatusCodes.Status404NotFound, "training-job-not-found", "No such training job", detail);

    public static ProblemHttpResult InvalidOptimization(string detail) => Create(
        StatusCodes.Status400BadRequest, "invalid-optimization", "The optimization does not fit the version", detail);

    public static ProblemHttpResult InvalidDeployment(string detail) => Create(
        StatusCodes.Status400BadRequest, "invalid-deployment", "Invalid deployment", detail);

    public static ProblemHttpResult DeploymentNotFound(string detail) => Create(
        StatusCodes.Status404NotFound, "deployment-not-found", "No such deployment", detail);

    public static ProblemHttpResult ApprovalNotFound(string id) => Create(
        StatusCodes.Status404NotFound, "approval-not-found", "No such approval", $"No approval has the id '{id}'.");

    public static ProblemHttpResult Overloaded(int limit, int retryAfterSeconds) => Create(
        StatusCodes.Status503ServiceUnavailable, "gateway-overloaded", "The gateway is at its limit of requests in flight",
        $"This gateway already has {limit} predicts, learns and inferences in flight; retry after {retryAfterSeconds} s.");

    public static ProblemHttpResult RateLimited(string group, TimeSpan retryAfter) => Create(
        StatusCodes.Status429TooManyRequests, "rate-limited", "Rate limit reached",
        $"Too many {group} requests from this principal; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.");

    /// <summary>
    /// Gives a problem the framework wrote its stable code: the one authentication recorded for a refused credential
    /// (<see cref="Guardian.AuthenticationProblem"/>), else the status's.
    /// </summary>
    public static void AddCode(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status401Unauthorized && Guardian.AuthenticationProblem.Of(context.HttpContext) is { } refused)
        {
            context.ProblemDetails.Extensions["code"] = refused.Code;
            context.ProblemDetails.Detail = refused.Detail;
            return;
        }

        context.ProblemDetails.Extensions.TryAdd("code", CodeForStatus(context.ProblemDetails.Status));
    }

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
