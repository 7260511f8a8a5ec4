using System.Net;

namespace Galaxy.Client;

/// <summary>
/// A problem the gateway answered with (RFC 7807): <see cref="Code"/> is its stable code (e.g. <c>invalid-input</c>,
/// <c>rate-limited</c>), the thing to switch on. Subclasses sort the statuses callers handle differently.
/// </summary>
public class GalaxyApiException(HttpStatusCode status, string code, string? title, string? detail)
    : Exception($"{(int)status} {code}: {detail ?? title}")
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;
}

/// <summary>
/// 400, 409, 413, 415, 422: the request itself is wrong and will stay wrong, or (409) conflicts with what is stored: a
/// name taken, a status change the lifecycle does not allow, a dataset still in use.
/// </summary>
public sealed class GalaxyInvalidRequestException(HttpStatusCode status, string code, string? title, string? detail)
    : GalaxyApiException(status, code, title, detail);

/// <summary>401: no valid credentials; sign in (again) or use another API key.</summary>
public sealed class GalaxyAuthenticationException(HttpStatusCode status, string code, string? title, string? detail)
    : GalaxyApiException(status, code, title, detail);

/// <summary>403: signed in, but the role may not do this.</summary>
public sealed class GalaxyForbiddenException(HttpStatusCode status, string code, string? title, string? detail)
    : GalaxyApiException(status, code, title, detail);

/// <summary>404: no such unit, labscape, key, model, version, alias or dataset.</summary>
public sealed class GalaxyNotFoundException(HttpStatusCode status, string code, string? title, string? detail)
    : GalaxyApiException(status, code, title, detail);

/// <summary>429, 503, 504 after the retries ran out: try later; <see cref="RetryAfter"/> says when, if the gateway did.</summary>
public sealed class GalaxyUnavailableException(HttpStatusCode status, string code, string? title, string? detail, TimeSpan? retryAfter)
    : GalaxyApiException(status, code, title, detail)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// 412: a conditional learn's unit is at another revision, <see cref="CurrentRevision"/>; nothing changed. After a learn
/// that got no answer, it means that learn did land.
/// </summary>
public sealed class GalaxyRevisionMismatchException(HttpStatusCode status, string code, string? title, string? detail, long? currentRevision)
    : GalaxyApiException(status, code, title, detail)
{
    public long? CurrentRevision { get; } = currentRevision;
}
