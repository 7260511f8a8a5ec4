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

    /// <summary>How long the gateway keeps trying to reach a silo at start before it gives up.</summary>
    [Range(1, 3600)]
    public int ConnectRetrySeconds { get; set; } = 120;
}
