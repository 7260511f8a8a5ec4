namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Why a request's credentials were refused, when there is more to say than <c>unauthenticated</c>: an authentication
/// handler records it, and the 401 problem the challenge turns into carries its code and detail.
/// </summary>
internal static class AuthenticationProblem
{
    private const string Item = "galaxy.authentication.problem";

    public static void Record(HttpContext context, string code, string detail) => context.Items[Item] = (code, detail);

    public static (string Code, string Detail)? Of(HttpContext context) => context.Items[Item] as (string, string)?;
}
