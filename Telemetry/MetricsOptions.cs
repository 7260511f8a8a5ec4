using System.ComponentModel.DataAnnotations;

namespace Galaxy.Telemetry;

/// <summary>Metrics of a silo or the gateway, bound from <c>Galaxy:Metrics</c> (docs/observability.md).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Galaxy:Metrics";

    /// <summary>Whether the process measures anything at all; off, no meter has a listener and <c>/metrics</c> is not served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A silo's Prometheus port (<c>/metrics</c> on all addresses); 0: none. The gateway serves <c>/metrics</c> on its own port.</summary>
    [Range(0, 65_535)]
    public int Port { get; set; }

    /// <summary>An OpenTelemetry collector to push to as well (OTLP over gRPC, or HTTP with <see cref="OtlpProtocol"/>).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    [RegularExpression("^(grpc|http/protobuf)$")]
    public string OtlpProtocol { get; set; } = "grpc";
}
