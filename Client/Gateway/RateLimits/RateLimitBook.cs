using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.RateLimits;

/// <summary>
/// The fixed windows of signed-in principals, one per group and principal, shared by the REST routes (through the rate
/// limiter's policies) and the GraphQL fields that do what those routes do, so that a principal's 10 approval requests an
/// hour are 10 whichever face it asks through.
/// </summary>
internal sealed class RateLimitBook(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Group, string Principal), Lazy<RateLimiter>> _limiters = new();

    public RateLimiter For(string group, string principal) =>
        _limiters.GetOrAdd((group, principal), key => new Lazy<RateLimiter>(() => Create(options.Value.For(key.Group)))).Value;

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values.Where(limiter => limiter.IsValueCreated))
        {
            limiter.Value.Dispose();
        }
    }

    public static FixedWindowRateLimiter Create(RateLimit limit) => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
    });
}

/// <summary>A limiter of the book as the rate limiter's partition: the book owns it, so the middleware's disposal of an idle partition leaves it be.</summary>
internal sealed class BorrowedLimiter(RateLimiter shared) : RateLimiter
{
    public override TimeSpan? IdleDuration => shared.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => shared.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => shared.AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        shared.AcquireAsync(permitCount, cancellationToken);
}
