using System.ComponentModel.DataAnnotations;

namespace Galaxy.Gateway.RateLimits;

/// <summary>
/// Requests each principal may make per endpoint group, bound from <c>Galaxy:RateLimits</c>. Defaults are the seed's.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Galaxy:RateLimits";

    /// <summary>Every <c>/v1/models</c> and <c>/v1/datasets</c> request, per account.</summary>
    public RateLimit Models { get; set; } = new() { PermitLimit = 1_000 };

    /// <summary>Predict, learn, bulk predict and tick, per API key or account.</summary>
    public RateLimit Inference { get; set; } = new() { PermitLimit = 10_000 };

    public RateLimit Training { get; set; } = new() { PermitLimit = 100 };

    public RateLimit Optimization { get; set; } = new() { PermitLimit = 50 };

    public RateLimit Approvals { get; set; } = new() { PermitLimit = 10 };

    /// <summary>Sign-in and refresh attempts per client address: slows password guessing.</summary>
    public RateLimit SignIn { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    public RateLimit For(string group) => group switch
    {
        RateLimitGroups.Models => Models,
        RateLimitGroups.Inference => Inference,
        RateLimitGroups.Training => Training,
        RateLimitGroups.Optimization => Optimization,
        RateLimitGroups.Approvals => Approvals,
        RateLimitGroups.SignIn => SignIn,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "No such rate-limit group."),
    };
}

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimit
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 3_600;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

/// <summary>The rate-limiting policy names endpoints opt into.</summary>
public static class RateLimitGroups
{
    public const string Models = "models";
    public const string Inference = "inference";
    public const string Training = "training";
    public const string Optimization = "optimization";
    public const string Approvals = "approvals";
    public const string SignIn = "sign-in";

    public static readonly string[] All = [Models, Inference, Training, Optimization, Approvals, SignIn];
}
