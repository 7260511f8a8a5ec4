using System.ComponentModel.DataAnnotations;

namespace Galaxy.Gateway;

/// <summary>Which cluster the gateway joins as a client, bound from <c>Galaxy:Cluster</c> (the silos' section).</summary>
public sealed class GatewayClusterOptions
{
    public const string Section = "Galaxy:Cluster";

    [Required]
    public string ClusterId { get; set; } = "galaxy";

    [Required]
    public string ServiceId { get; set; } = "galaxy";

    /// <summary>
    /// How long the gateway waits for a grain's answer before it answers 504. Short, because a request that was in
    /// flight to a silo that died is not failed by the cluster: it waits this long (dotnet/orleans#10165), and so does
    /// its client. Every grain call the gateway makes is milliseconds when healthy, except the control plane's few that
    /// train or write many rows, which carry their own (<c>[ResponseTimeout]</c> on their grain interface).
    /// </summary>
    [Range(1, 600)]
    public int ResponseTimeoutSeconds { get; set; } = 5;

    /// <summary>How long the gateway keeps trying to reach a silo at start before it gives up.</summary>
    [Range(1, 3600)]
    public int ConnectRetrySeconds { get; set; } = 120;
}
