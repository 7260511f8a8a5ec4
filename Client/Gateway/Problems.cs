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

    public static ProblemHttpResult ClusterUnavailable(string detail) => Create(
        StatusCodes.Status503ServiceUnavailable, "cluster-unavailable", "The cluster is unavailable", detail);

    public static ProblemHttpResult Create(int status, string code, string title, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            type: $"https://galaxy.dev/problems/{code}",
            extensions: new Dictionary<string, object?> { ["code"] = code });

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
