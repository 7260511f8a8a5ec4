namespace Galaxy.Client;

/// <summary>How a <see cref="GalaxyClient"/> signs its requests and how hard it retries.</summary>
public sealed class GalaxyClientOptions
{
    /// <summary>Sent as <c>X-Api-Key</c>: for inference clients. Leave null to sign in with <see cref="GalaxyClient.SignInAsync"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries after a 429 or 503 before the call fails with <see cref="GalaxyUnavailableException"/>.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The wait when the gateway sends no <c>Retry-After</c>; doubles on each retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the call fails instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
