using System.Net;
using Polly;
using Polly.Retry;

namespace Galaxy.Client;

/// <summary>
/// Retries responses that say "not now" (429 too many requests, 503 unavailable), waiting what the gateway's
/// <c>Retry-After</c> asks or else an exponential backoff with jitter. Other failures are final and are not retried.
/// A request that must not run twice retries only 429, which the gateway sends before anything ran: a 503 may come
/// from a silo that died after it took the request.
/// </summary>
internal static class RetryPolicy
{
    public static ResiliencePipeline<HttpResponseMessage> Create(GalaxyClientOptions options, bool onlyRefusals = false) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                ShouldHandle = arguments => ValueTask.FromResult(
                    options.MaxRetries > 0 && arguments.Outcome.Result is { } response
                    && (onlyRefusals ? response.StatusCode == HttpStatusCode.TooManyRequests : IsRetryable(response))
                    && (RetryAfter(response) ?? TimeSpan.Zero) <= options.MaxRetryAfter),
                DelayGenerator = arguments => ValueTask.FromResult(arguments.Outcome.Result is { } response ? RetryAfter(response) : null),
                OnRetry = arguments =>
                {
                    arguments.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    public static bool IsRetryable(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
