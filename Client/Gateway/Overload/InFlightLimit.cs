using System.Globalization;
using System.Threading.RateLimiting;
using Galaxy.Gateway.RateLimits;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Overload;

/// <summary>
/// Sheds data-plane requests (the endpoints of the <see cref="RateLimitGroups.Inference"/> group) beyond
/// <see cref="InFlightOptions.Limit"/> in flight: the excess gets a 503 <c>overloaded</c> problem with <c>Retry-After</c>
/// before anything is authenticated or sent to the cluster, instead of waiting in the runtime's queues for a 504.
/// Control-plane routes are never shed here, so operators can still act on an overloaded galaxy.
/// </summary>
internal sealed class InFlightLimit
{
    private readonly RequestDelegate _next;
    private readonly ConcurrencyLimiter _limiter;
    private readonly InFlightOptions _options;

    public InFlightLimit(RequestDelegate next, IOptions<InFlightOptions> options)
    {
        _next = next;
        _options = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = _options.Limit, QueueLimit = 0 });
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsDataPlane(context))
        {
            await _next(context);
            return;
        }

        using var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Overloaded(_options.Limit, _options.RetryAfterSeconds).ExecuteAsync(context);
            return;
        }

        await _next(context);
    }

    private static bool IsDataPlane(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimitGroups.Inference;
}

internal static class InFlightSetup
{
    public static WebApplicationBuilder AddGalaxyInFlightLimit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InFlightOptions>().Bind(builder.Configuration.GetSection(InFlightOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
