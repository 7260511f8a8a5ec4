using System.ComponentModel.DataAnnotations;

namespace Galaxy.Silo;

/// <summary>Where this silo sits in the cluster, bound from <c>Galaxy:Cluster</c>.</summary>
public sealed class GalaxyClusterOptions
{
    public const string Section = "Galaxy:Cluster";

    [Required]
    public string ClusterId { get; set; } = "galaxy";

    [Required]
    public string ServiceId { get; set; } = "galaxy";

    /// <summary>The address (or host name) other silos and clients reach this silo on.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65_535)]
    public int SiloPort { get; set; } = 11_111;

    [Range(1, 65_535)]
    public int GatewayPort { get; set; } = 30_000;

    public string? SiloName { get; set; }
}
