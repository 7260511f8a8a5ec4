using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Galaxy.Client;
using Galaxy.Contracts;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// A deployment in TLS mode, every part in its own process with certificates from a CA of the test's own: the gateway
/// serves only HTTPS (TLS 1.3 negotiated), silos talk to each other and to the gateway over mutual TLS, PostgreSQL
/// accepts only TLS connections. A learn travels every hop; a plain-HTTP caller, a plaintext database connection and an
/// Orleans client without a cluster certificate are all turned away.
/// </summary>
public sealed class TlsModeTests
{
    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => i / 16f).ToArray();

    [Fact]
    public async Task Every_hop_runs_over_tls_and_nothing_without_a_cluster_certificate_gets_in()
    {
        using var tls = TestTls.Create();
        await using var galaxy = await LocalGalaxy.StartAsync(new LocalGalaxyOptions(Silos: 2, Labscapes: 2, UnitsPerLabscape: 4, Tls: tls));
        try
        {
            using var http = galaxy.CreateHttpClient(TimeSpan.FromSeconds(60));
            var client = await galaxy.SignInAsync(http);
            foreach (var unit in new long[] { 0, 5 })
            {
                await ColdStart.UntilAnsweredAsync(() => client.PredictAsync(unit, Input));
                var learned = await client.LearnAsync(unit, Input, [1, 0, 0, 0]);
                Assert.Equal(4, (await client.PredictAsync(unit, Input)).Length);
                Assert.True(learned.Revision > 0);
            }

            Assert.Equal(SslProtocols.Tls13, await NegotiatedProtocolAsync(galaxy, tls));
            Assert.False(await AnswersPlainHttpAsync(galaxy));
            await AssertDatabaseOnlyOverTlsAsync(galaxy);
            await Assert.ThrowsAnyAsync<Exception>(() => JoinWithoutCertificateAsync(galaxy));
        }
        catch
        {
            galaxy.KeepLogs = true;
            throw;
        }
    }

    private static async Task<SslProtocols> NegotiatedProtocolAsync(LocalGalaxy galaxy, TestTls tls)
    {
        var certificates = tls.Load(tls.Gateway);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(galaxy.GatewayAddress.Host, galaxy.GatewayAddress.Port);
        await using var stream = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => certificates.Validate(certificate, errors));
        await stream.AuthenticateAsClientAsync(galaxy.GatewayAddress.Host);
        return stream.SslProtocol;
    }

    private static async Task<bool> AnswersPlainHttpAsync(LocalGalaxy galaxy)
    {
        using var plain = new HttpClient { BaseAddress = new UriBuilder(galaxy.GatewayAddress) { Scheme = "http" }.Uri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return (await plain.GetAsync("/health/live")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task AssertDatabaseOnlyOverTlsAsync(LocalGalaxy galaxy)
    {
        await using (var connection = new NpgsqlConnection(galaxy.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("""
                SELECT count(*) FILTER (WHERE NOT s.ssl), count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
                WHERE a.backend_type = 'client backend'
                """, connection);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(0L, reader.GetInt64(0));
            Assert.True(reader.GetInt64(1) > 2, "the silos and the gateway hold connections");
        }

        var plaintext = new NpgsqlConnectionStringBuilder(galaxy.Database.ConnectionString) { SslMode = SslMode.Disable, Pooling = false };
        await using var refused = new NpgsqlConnection(plaintext.ConnectionString);
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refusal.SqlState);
    }

    /// <summary>An Orleans client of the cluster that presents no certificate: the silos' TLS turns it away.</summary>
    private static async Task JoinWithoutCertificateAsync(LocalGalaxy galaxy)
    {
        using var host = new HostBuilder().UseOrleansClient(client => client
            .UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = galaxy.Database.ConnectionString;
            })
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (galaxy.ClusterId, galaxy.ClusterId)))
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        await host.Services.GetRequiredService<IClusterClient>().GetGrain<IGalaxyGrain>(0).GetTopology();
    }
}
