using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.RateLimits;

/// <summary>
/// One fixed-window limiter per endpoint group and principal (the token's subject or the API key, kept in the
/// <see cref="RateLimitBook"/> that GraphQL's fields share; the client address for anonymous sign-ins). A refusal is a
/// 429 problem with <c>Retry-After</c>.
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
        builder.Services.AddSingleton<RateLimitBook>();

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
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var book = context.RequestServices.GetRequiredService<RateLimitBook>();
            return RateLimitPartition.Get(GuardianClaims.SubjectOf(context.User), principal => new BorrowedLimiter(book.For(group, principal)));
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.For(group);
        return RateLimitPartition.Get("address:" + context.Connection.RemoteIpAddress, _ => RateLimitBook.Create(limit));
    }

    /// <summary>
    /// Takes a permit for one <paramref name="group"/> request of the signed-in caller of <paramref name="context"/> from the
    /// window its REST routes use: null when there was one, else the wait before the next.
    /// </summary>
    public static TimeSpan? Refusal(HttpContext context, string group)
    {
        var book = context.RequestServices.GetRequiredService<RateLimitBook>();
        using var lease = book.For(group, GuardianClaims.SubjectOf(context.User)).AttemptAcquire();
        return lease.IsAcquired
            ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.For(group).Window;
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
