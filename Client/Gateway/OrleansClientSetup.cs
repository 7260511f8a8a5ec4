using System.Security.Authentication;
using Galaxy.Persistence;
using Galaxy.Persistence.Tls;
using Orleans.Connections.Security;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Galaxy.Gateway;

internal static class OrleansClientSetup
{
    /// <summary>
    /// The gateway as an Orleans client that finds silos through the ADO.NET membership table, over mutual TLS when
    /// <c>Galaxy:Tls</c> is set. Options are read lazily from configuration so that test hosts can override them.
    /// </summary>
    public static WebApplicationBuilder AddGalaxyClusterClient(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayClusterOptions>()
            .Bind(builder.Configuration.GetSection(GatewayClusterOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringClientOptions> options) => options
                .Configure<IConfiguration>((clustering, configuration) =>
                {
                    clustering.Invariant = "Npgsql";
                    clustering.ConnectionString = configuration.GetGalaxyConnectionString();
                }));
            client.UseConnectionRetryFilter<StartupConnectionRetryFilter>();
            // Mutual TLS to the silos when Galaxy:Tls names a certificate: the silos accept only clients from the cluster's CA.
            var tls = builder.Configuration.GetSection(TransportSecurityOptions.Section).Get<TransportSecurityOptions>() ?? new();
            if (tls.Enabled)
            {
                var certificates = ClusterCertificates.Load(tls);
                client.UseTls(certificates.Certificate, options =>
                {
                    options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    options.RemoteCertificateValidation = (certificate, _, _) => certificates.IsTrusted(certificate);
                });
            }

            // The Orleans dashboard's pages, served here; its data comes from the dashboard grains on the silos.
            client.AddDashboard();
        });

        builder.Services.AddOptions<ClusterOptions>()
            .Configure<IOptions<GatewayClusterOptions>>((options, cluster) =>
            {
                options.ClusterId = cluster.Value.ClusterId;
                options.ServiceId = cluster.Value.ServiceId;
            });
        builder.Services.AddOptions<ClientMessagingOptions>()
            .Configure<IOptions<GatewayClusterOptions>>((options, cluster) =>
                options.ResponseTimeout = TimeSpan.FromSeconds(cluster.Value.ResponseTimeoutSeconds));
        return builder;
    }

    /// <summary>Silos and the gateway start together: keep trying for a while instead of failing the first time.</summary>
    private sealed class StartupConnectionRetryFilter(IOptions<GatewayClusterOptions> options, ILogger<StartupConnectionRetryFilter> logger)
        : IClientConnectionRetryFilter
    {
        private readonly DateTime _giveUpAt = DateTime.UtcNow.AddSeconds(options.Value.ConnectRetrySeconds);

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTime.UtcNow >= _giveUpAt)
            {
                return false;
            }

            logger.LogInformation("No silo reachable yet ({Reason}); retrying.", exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }
}
