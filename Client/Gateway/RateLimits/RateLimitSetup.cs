using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.RateLimits;

/// <summary>
/// One fixed-window limiter per endpoint group and principal (the token's subject or the API key; the client address
/// for anonymous sign-ins). A refusal is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal static class RateLimitSetup
{
    public static WebApplicationBuilder AddGalaxyRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .Validate(options => RateLimitGroups.All.Select(options.For).All(limit => Validator.TryValidateObject(limit, new ValidationContext(limit), null, true)),
                "Every rate limit needs PermitLimit ≥ 1 and WindowSeconds in 1…86400.")
            .ValidateOnStart();

        builder.Services.AddRateLimiter(limiter =>
        {
            foreach (var group in RateLimitGroups.All)
            {
                limiter.AddPolicy(group, context => Partition(context, group));
            }

            limiter.OnRejected = OnRejectedAsync;
        });
        return builder;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string group)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.For(group);
        var principal = context.User.Identity?.IsAuthenticated == true
            ? GuardianClaims.SubjectOf(context.User)
            : "address:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetFixedWindowLimiter(principal, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var group = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "";
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.For(group).Window;
        context.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Problems.RateLimited(group, retryAfter).ExecuteAsync(context);
    }
}
