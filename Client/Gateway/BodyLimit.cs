using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Galaxy.Gateway;

/// <summary>
/// Caps request bodies (and, through the JSON options, their nesting). A declared length over the cap is refused before a byte is read; a streamed body is cut off
/// by the server's own limit, set here per request, which surfaces as a 413 through the exception handler. The cap is
/// <see cref="MaxBytes"/> unless the endpoint declares its own (<see cref="WithBodyLimit"/>), as dataset uploads do.
/// </summary>
internal sealed class BodyLimit(RequestDelegate next)
{
    /// <summary>The largest legitimate JSON body is a bulk predict for a whole labscape: well under this.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The deepest legitimate body (a bulk predict's rows) nests three levels; much deeper is refused as malformed. The
    /// same setting bounds the OpenAPI document's schemas, which nest deeper than the bodies they describe (a page of
    /// model versions: page, items, version, preprocessing, offsets, each an object with its properties): 16 holds them.
    /// </summary>
    public const int MaxJsonDepth = 16;

    /// <summary>The cap on this request's body: its endpoint's own, else <see cref="MaxBytes"/>.</summary>
    public static long For(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } declared } ? declared : MaxBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var maxBytes = For(context);
        if (context.Request.ContentLength > maxBytes)
        {
            await Problems.BodyTooLarge(maxBytes).ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        await next(context);
    }
}

/// <summary>An endpoint's own body cap, in place of <see cref="BodyLimit.MaxBytes"/>.</summary>
internal sealed record EndpointBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

internal static class BodyLimitEndpoints
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new EndpointBodyLimit(maxBytes));
}
