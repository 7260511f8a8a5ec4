using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Galaxy.Persistence.Tls;

/// <summary>
/// A process's certificate and the cluster's CA, loaded from <see cref="TransportSecurityOptions"/>, and the one check
/// a peer's certificate must pass: it chains to that CA alone (the system's trusted roots play no part), within its
/// validity. Names are not checked: silos reach each other by address, and holding a certificate from the cluster's
/// CA is what admits a process to the cluster.
/// </summary>
public sealed class ClusterCertificates
{
    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 Authority { get; }

    public static ClusterCertificates Load(TransportSecurityOptions options)
    {
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        // PEM keys load as ephemeral keys, which SslStream on Linux accepts; exported and reloaded they work everywhere.
        using var pem = X509Certificate2.CreateFromPemFile(options.CertificateFile!, options.KeyFile);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        return new ClusterCertificates(certificate, X509CertificateLoader.LoadCertificateFromFile(options.AuthorityFile!));
    }

    /// <summary>Whether <paramref name="remote"/> was issued by the cluster's CA and is valid now.</summary>
    public bool IsTrusted(X509Certificate2 remote)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote) && chain.ChainElements[^1].Certificate.Thumbprint == Authority.Thumbprint;
    }

    /// <summary>For <see cref="SslStream"/>-style callbacks: trusted when issued by the cluster's CA, whatever the system thinks.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors) =>
        certificate is X509Certificate2 remote && IsTrusted(remote);
}
