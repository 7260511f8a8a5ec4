using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Connections.Security;

namespace Galaxy.Silo.Tests;

/// <summary>
/// Mutual TLS between silos and their clients under <c>Galaxy:Tls</c>: TLS 1.2 or 1.3, a certificate on both sides,
/// and only the cluster's CA's certificates let in; without the settings, plain TCP; with half of them, a clear refusal.
/// </summary>
public sealed class SiloTransportSecurityTests
{
    [Fact]
    public void Connections_need_tls_12_or_13_and_a_certificate_from_the_clusters_own_ca_on_both_sides()
    {
        using var cluster = TestTls.Create();
        using var stranger = TestTls.Create();
        var tls = new TlsOptions();

        SiloTransportSecurity.RequireClusterCertificates(tls, cluster.Load(cluster.Silo));

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, tls.SslProtocols);
        Assert.Equal(RemoteCertificateMode.RequireCertificate, tls.RemoteCertificateMode);
        Assert.Equal(RemoteCertificateMode.RequireCertificate, tls.ClientCertificateMode);
        using var gateway = X509CertificateLoader.LoadCertificateFromFile(cluster.Gateway.Certificate);
        using var foreign = X509CertificateLoader.LoadCertificateFromFile(stranger.Gateway.Certificate);
        Assert.True(tls.RemoteCertificateValidation!(gateway, null!, SslPolicyErrors.None));
        Assert.False(tls.RemoteCertificateValidation(foreign, null!, SslPolicyErrors.None), "a certificate from another CA was let in");
    }

    [Fact]
    public void Without_galaxy_tls_the_silo_stays_on_plain_tcp_and_with_it_tls_is_added()
    {
        using var tls = TestTls.Create();

        Assert.Equal(0, AddedRegistrations(new Dictionary<string, string?>()));
        Assert.True(AddedRegistrations(tls.ClusterSettings(tls.Silo).ToDictionary(setting => setting.Key, setting => (string?)setting.Value)) > 0);
    }

    [Fact]
    public void Half_the_tls_settings_or_a_missing_file_is_refused_with_what_is_wrong()
    {
        using var tls = TestTls.Create();
        var settings = tls.ClusterSettings(tls.Silo).ToDictionary(setting => setting.Key, setting => (string?)setting.Value);

        var withoutKey = new Dictionary<string, string?>(settings) { ["Galaxy:Tls:KeyFile"] = null };
        Assert.Equal(
            "Galaxy:Tls needs CertificateFile, KeyFile and AuthorityFile together.",
            Assert.Throws<InvalidOperationException>(() => AddedRegistrations(withoutKey)).Message);

        var missing = Path.Combine(tls.Directory, "nowhere.pem");
        var missingAuthority = new Dictionary<string, string?>(settings) { ["Galaxy:Tls:AuthorityFile"] = missing };
        Assert.Equal($"Galaxy:Tls: {missing} does not exist.", Assert.Throws<InvalidOperationException>(() => AddedRegistrations(missingAuthority)).Message);
    }

    /// <summary>How many service registrations <c>UseGalaxyTls</c> adds to a silo with these settings.</summary>
    private static int AddedRegistrations(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var added = -1;
        Host.CreateApplicationBuilder().UseOrleans(silo =>
        {
            var before = silo.Services.Count;
            silo.UseGalaxyTls(configuration);
            added = silo.Services.Count - before;
        });
        return added;
    }
}
