using System.Net;
using System.Net.Sockets;
using Galaxy.Grains;
using Galaxy.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace Galaxy.Silo;

public static class GalaxySiloBuilderExtensions
{
    /// <summary>The ADO.NET provider name for PostgreSQL through Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Everything a Galaxy silo needs apart from its endpoints and cluster identity: ADO.NET clustering and grain
    /// storage on PostgreSQL (state in the Orleans binary format), the schema applied at start, and the topology.
    /// </summary>
    public static ISiloBuilder UseGalaxy(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration.GetGalaxyConnectionString();

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(GrainStorage.Galaxy, options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });

        // Orleans's binary serializer instead of the default JSON: no $type names, less than half the bytes.
        silo.Services.AddOptions<AdoNetGrainStorageOptions>(GrainStorage.Galaxy)
            .Configure<IServiceProvider>((options, services) =>
                options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services));

        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            new SchemaMigrationParticipant(connectionString, services.GetRequiredService<ILogger<Persistence.SchemaMigrator>>()));

        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddOptions<GalaxyTopologyOptions>()
            .Bind(configuration.GetSection(GalaxyTopologyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return silo;
    }

    /// <summary>This silo's endpoints and cluster identity, from <see cref="GalaxyClusterOptions"/>.</summary>
    public static ISiloBuilder UseGalaxyEndpoints(this ISiloBuilder silo, GalaxyClusterOptions cluster)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(ResolveAdvertisedAddress(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        if (!string.IsNullOrWhiteSpace(cluster.SiloName))
        {
            silo.Configure<SiloOptions>(options => options.SiloName = cluster.SiloName);
        }

        return silo;
    }

    // An address, or a host name (a container's service name) resolved once at start.
    private static IPAddress ResolveAdvertisedAddress(string addressOrHost) =>
        IPAddress.TryParse(addressOrHost, out var address)
            ? address
            : Dns.GetHostAddresses(addressOrHost).First(candidate => candidate.AddressFamily == AddressFamily.InterNetwork);
}
