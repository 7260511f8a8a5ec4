using System.Security.Authentication;
using Galaxy.Persistence.Tls;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Galaxy.Silo;

/// <summary>
/// Mutual TLS on the silo's both ports (Microsoft.Orleans.Connections.Security), when <c>Galaxy:Tls</c> names a
/// certificate: silos and clients (gateways) must each present a certificate from the cluster's CA, TLS 1.2 or 1.3.
/// </summary>
public static class SiloTransportSecurity
{
    public static ISiloBuilder UseGalaxyTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(TransportSecurityOptions.Section).Get<TransportSecurityOptions>() ?? new();
        if (!options.Enabled)
        {
            return silo;
        }

        var certificates = ClusterCertificates.Load(options);
        return silo.UseTls(certificates.Certificate, tls => RequireClusterCertificates(tls, certificates));
    }

    /// <summary>What a connection to or from this silo must satisfy: TLS 1.2 or 1.3, and a certificate from the cluster's CA on both sides.</summary>
    internal static void RequireClusterCertificates(TlsOptions tls, ClusterCertificates certificates)
    {
        tls.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (certificate, _, _) => certificates.IsTrusted(certificate);
    }
}
