using Galaxy.Persistence.Tls;

namespace Galaxy.Testing.Processes;

/// <summary>
/// Certificates for a deployment in TLS mode, made by a <see cref="DevelopmentAuthority"/> of its own in a temporary
/// folder: the CA, and a certificate each for PostgreSQL, the silos and the gateway.
/// </summary>
public sealed class TestTls : IDisposable
{
    private TestTls(string directory, string authorityFile)
    {
        Directory = directory;
        AuthorityFile = authorityFile;
    }

    public string Directory { get; }

    public string AuthorityFile { get; }

    public (string Certificate, string Key) Postgres => Files("postgres");

    public (string Certificate, string Key) Silo => Files("silo");

    public (string Certificate, string Key) Gateway => Files("gateway");

    public static TestTls Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("galaxy-tls-").FullName;
        using var authority = DevelopmentAuthority.Create("Galaxy test CA");
        var authorityFile = Path.Combine(directory, "ca.pem");
        File.WriteAllText(authorityFile, authority.Certificate.ExportCertificatePem());
        foreach (var name in new[] { "postgres", "silo", "gateway" })
        {
            using var certificate = authority.Issue($"galaxy-{name}");
            DevelopmentAuthority.Write(certificate, directory, name);
        }

        return new TestTls(directory, authorityFile);
    }

    /// <summary>The settings a silo or gateway needs for mutual TLS with its peers, with <paramref name="role"/>'s certificate.</summary>
    public Dictionary<string, string> ClusterSettings((string Certificate, string Key) role) => new()
    {
        ["Galaxy:Tls:CertificateFile"] = role.Certificate,
        ["Galaxy:Tls:KeyFile"] = role.Key,
        ["Galaxy:Tls:AuthorityFile"] = AuthorityFile,
    };

    public ClusterCertificates Load((string Certificate, string Key) role) =>
        ClusterCertificates.Load(new TransportSecurityOptions { CertificateFile = role.Certificate, KeyFile = role.Key, AuthorityFile = AuthorityFile });

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private (string, string) Files(string name) => (Path.Combine(Directory, name + ".pem"), Path.Combine(Directory, name + ".key"));
}
