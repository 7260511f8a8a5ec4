using GraphQL;

namespace Galaxy.Gateway.GraphQL;

/// <summary>An error in the GraphQL answer that carries a REST problem's stable code (<c>extensions.code</c>) and, for the audit, its status.</summary>
internal sealed class GalaxyExecutionError : ExecutionError
{
    public GalaxyExecutionError(string message, string? code, int status)
        : base(message)
    {
        Code = code;
        Status = status;
    }

    public int Status { get; }
}

internal static class GraphQLErrors
{
    public static GalaxyExecutionError From(ProblemHttpResult problem) =>
        new GalaxyExecutionError(
            problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "",
            problem.ProblemDetails.Extensions.TryGetValue("code", out var code) ? code as string : null,
            problem.StatusCode);

    /// <summary>A typed failure as the REST routes would answer it; null for one that stays an internal error.</summary>
    public static GalaxyExecutionError? From(Exception failure, HttpContext http) =>
        GatewayExceptionHandler.ProblemFor(failure, http) is { } problem ? From(problem) : null;

    /// <summary>The value of a REST handler's success, or its problem as a GraphQL error.</summary>
    public static T Unwrap<T>(IResult result) => result switch
    {
        IValueHttpResult<T> { Value: { } value } => value,
        ProblemHttpResult problem => throw From(problem),
        _ => throw new InvalidOperationException($"A REST handler answered {result.GetType().Name}, not a {typeof(T).Name}."),
    };
}
