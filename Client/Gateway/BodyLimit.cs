using Microsoft.AspNetCore.Http.Features;

namespace Galaxy.Gateway;

/// <summary>
/// Caps request bodies (and, through the JSON options, their nesting). A declared length over the cap is refused before a byte is read; a streamed body is cut off
/// by the server's own limit, set here per request, which surfaces as a 413 through the exception handler.
/// </summary>
internal sealed class BodyLimit(RequestDelegate next)
{
    /// <summary>The largest legitimate body is a bulk predict for a whole labscape: well under this.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>The deepest legitimate body (a bulk predict's rows) nests three levels; deeper is refused as malformed.</summary>
    public const int MaxJsonDepth = 8;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            await Problems.BodyTooLarge().ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        await next(context);
    }
}
