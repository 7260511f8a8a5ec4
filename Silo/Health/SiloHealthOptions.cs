using System.ComponentModel.DataAnnotations;

namespace Galaxy.Silo.Health;

/// <summary>The silo's HTTP health endpoint, bound from <c>Galaxy:Health</c>: what Kubernetes probes.</summary>
public sealed class SiloHealthOptions
{
    public const string Section = "Galaxy:Health";

    /// <summary>The port <c>/health/live</c> and <c>/health/ready</c> answer on (all addresses); 0: no endpoint.</summary>
    [Range(0, 65_535)]
    public int Port { get; set; }
}
