using System.Security.Cryptography.X509Certificates;
using Galaxy.Persistence.Audit;
using Galaxy.Persistence.Tls;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// Keys and certificates kept in files: a development CA loaded back from its PEM files issues certificates its
/// cluster trusts, for the names asked; an audit signing key that is not there is not made unless asked.
/// </summary>
public sealed class KeyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("galaxy-keys-").FullName;

    [Fact]
    public void A_development_ca_loaded_from_its_files_issues_certificates_for_the_names_asked_that_its_cluster_trusts()
    {
        using (var created = DevelopmentAuthority.Create("Galaxy test CA"))
        {
            DevelopmentAuthority.Write(created.Certificate, _folder, "ca");
        }

        using var authority = DevelopmentAuthority.Load(Path.Combine(_folder, "ca.pem"), Path.Combine(_folder, "ca.key"));
        using var issued = authority.Issue("galaxy-silo", "silo-0.galaxy.internal");
        var (certificate, key) = DevelopmentAuthority.Write(issued, _folder, "silo");
        var cluster = ClusterCertificates.Load(new TransportSecurityOptions
        {
            CertificateFile = certificate, KeyFile = key, AuthorityFile = Path.Combine(_folder, "ca.pem"),
        });

        Assert.True(cluster.IsTrusted(cluster.Certificate));
        Assert.True(issued.MatchesHostname("silo-0.galaxy.internal"));
        Assert.True(issued.MatchesHostname("localhost"));
    }

    [Fact]
    public void An_audit_signing_key_that_is_not_there_is_not_made_unless_asked()
    {
        var path = Path.Combine(_folder, "audit-signing.pem");

        var error = Assert.Throws<FileNotFoundException>(() => AuditSigningKey.Load(path, create: false));

        Assert.Equal($"No audit signing key at {path}.", error.Message);
        Assert.False(File.Exists(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
