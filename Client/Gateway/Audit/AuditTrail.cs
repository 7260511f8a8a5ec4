using System.Security.Cryptography;
using Galaxy.Gateway.Guardian;
using Galaxy.Persistence.Audit;
using Npgsql;

namespace Galaxy.Gateway.Audit;

/// <summary>Marks an endpoint as mutating: each request to it is appended to the audit chain.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AuditedAttribute(string action, bool anonymous = false, bool streamedBody = false) : Attribute
{
    public string Action { get; } = action;

    /// <summary>Also audit callers who are not signed in (sign-in attempts); otherwise only signed-in principals are.</summary>
    public bool Anonymous { get; } = anonymous;

    /// <summary>
    /// The endpoint streams its body (an upload): the digest covers the bytes it read, hashed as it read them, rather
    /// than a buffered copy of the whole body read before it.
    /// </summary>
    public bool StreamedBody { get; } = streamedBody;
}

/// <summary>
/// Appends every request to an <see cref="AuditedAttribute"/> endpoint to the <see cref="AuditLog"/> once it has an
/// outcome (the response status), before the response completes. Runs after authentication, so refusals (403) by
/// Guardian are recorded under the principal refused. Reads (GET, predicts) are not audited: they change nothing.
/// </summary>
internal sealed class AuditTrail(RequestDelegate next, AuditLog log, TimeProvider time, ILogger<AuditTrail> logger)
{
    private const string PrincipalItem = "galaxy.audit.principal";

    /// <summary>Lets an anonymous endpoint (sign-in) name whom its request was about.</summary>
    public static void NamePrincipal(HttpContext context, string principal) => context.Items[PrincipalItem] = principal;

    public async Task InvokeAsync(HttpContext context)
    {
        var audited = context.GetEndpoint()?.Metadata.GetMetadata<AuditedAttribute>();
        var signedIn = context.User.Identity?.IsAuthenticated == true;
        if (audited is null || !(signedIn || audited.Anonymous))
        {
            await next(context);
            return;
        }

        var at = time.GetUtcNow();
        using var streamed = audited.StreamedBody ? new DigestingStream(context.Request.Body) : null;
        var digest = streamed is null ? await DigestAsync(context.Request) : null;
        if (streamed is not null)
        {
            context.Request.Body = streamed;
        }

        await next(context);

        var principal = signedIn ? GuardianClaims.SubjectOf(context.User) : context.Items[PrincipalItem] as string ?? "anonymous";
        var entry = new AuditEntry(at, principal, audited.Action, context.Request.Path, context.Response.StatusCode, digest ?? streamed!.Digest());
        try
        {
            await log.AppendAsync(entry, context.RequestAborted);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && entry.Outcome >= StatusCodes.Status400BadRequest)
        {
            // A refused request changed nothing, and PostgreSQL being down is usually why it was refused: its answer
            // (say, 503) stands rather than becoming a broken connection. A change whose entry cannot be written fails.
            logger.LogWarning(exception, "Audit entry of a refused {Action} ({Outcome}) not written.", entry.Action, entry.Outcome);
        }
    }

    /// <summary>SHA-256 of the body, read once into a rewindable buffer that the endpoint then reads again.</summary>
    private static async Task<string> DigestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        var digest = await SHA256.HashDataAsync(request.Body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(digest);
    }
}

internal static class AuditedEndpoints
{
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, bool anonymous = false, bool streamedBody = false)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuditedAttribute(action, anonymous, streamedBody));
}
