using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Galaxy.Persistence.Tls;

/// <summary>
/// A certificate authority for development and tests (<c>./galaxy up --tls</c>, the TLS tests): an ECDSA P-256 CA that
/// issues certificates for loopback names, good for both server and client authentication. Production brings its own
/// CA (an internal PKI, cert-manager); nothing here is meant to leave the machine it was made on.
/// </summary>
public sealed class DevelopmentAuthority : IDisposable
{
    private readonly X509Certificate2 _authority;

    private DevelopmentAuthority(X509Certificate2 authority) => _authority = authority;

    public X509Certificate2 Certificate => _authority;

    public static DevelopmentAuthority Create(string name = "Galaxy development CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new DevelopmentAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1)));
    }

    /// <summary>The CA from its PEM files (to issue more certificates with it later).</summary>
    public static DevelopmentAuthority Load(string certificateFile, string keyFile) =>
        new(X509Certificate2.CreateFromPemFile(certificateFile, keyFile));

    /// <summary>A certificate for <paramref name="subject"/>, valid for server and client authentication, naming the loopback host.</summary>
    public X509Certificate2 Issue(string subject, params string[] extraNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(subject);
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var name in extraNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_authority, now.AddMinutes(-5), now.AddDays(90), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <c>NAME.pem</c> (the certificate) and <c>NAME.key</c> (its private key, mode 600) into <paramref name="directory"/>.</summary>
    public static (string CertificateFile, string KeyFile) Write(X509Certificate2 certificate, string directory, string name)
    {
        var certificateFile = Path.Combine(directory, name + ".pem");
        var keyFile = Path.Combine(directory, name + ".key");
        Directory.CreateDirectory(directory);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        PrivateFiles.Write(keyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    public void Dispose() => _authority.Dispose();
}
