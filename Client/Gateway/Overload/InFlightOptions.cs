using System.ComponentModel.DataAnnotations;

namespace Galaxy.Gateway.Overload;

/// <summary>How many data-plane requests one gateway keeps in flight at most, bound from <c>Galaxy:InFlight</c>.</summary>
public sealed class InFlightOptions
{
    public const string Section = "Galaxy:InFlight";

    /// <summary>
    /// Predicts, learns, ticks and inference by model in flight at once; the next is refused at once with 503 and
    /// <see cref="RetryAfterSeconds"/>. Enough for the most this gateway sustains (about 100 in flight at 10 k/s and
    /// 10 ms each), low enough that the excess does not wait in the runtime's queues until
    /// <c>Galaxy:Cluster:ResponseTimeoutSeconds</c> answers it 504 (BENCHMARKS.md, "Stress").
    /// </summary>
    [Range(1, 1_000_000)]
    public int Limit { get; set; } = 1_024;

    /// <summary>What <c>Retry-After</c> tells a refused caller.</summary>
    [Range(1, 3_600)]
    public int RetryAfterSeconds { get; set; } = 1;
}
