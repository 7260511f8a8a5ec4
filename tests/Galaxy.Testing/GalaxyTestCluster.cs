using Galaxy.Persistence;
using Galaxy.Silo;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit;

namespace Galaxy.Testing;

/// <summary>
/// A small galaxy on real parts: in-process silos that form their cluster through the ADO.NET membership table and
/// keep grain state through the ADO.NET storage provider, in a fresh PostgreSQL database, talking over TCP so an
/// outside client (the gateway under test) can join.
/// </summary>
public sealed class GalaxyTestCluster : IAsyncLifetime
{
    public const int Labscapes = 4;
    public const int UnitsPerLabscape = 8;

    public TestDatabase Database { get; init; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>How many silos the cluster starts with.</summary>
    public int InitialSilos { get; init; } = 2;

    /// <summary>Configuration beyond the database and topology, e.g. <c>Galaxy:Batching:MaxQueueLength</c>.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var builder = new TestClusterBuilder((short)InitialSilos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.ConfigureHostConfiguration(configuration => configuration
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Requests that arrive within 2 ms share a launch, so tests of batching need not race the scheduler.
                ["Galaxy:Batching:MaxQueueDelayMicroseconds"] = "2000",
            })
            .AddInMemoryCollection(Settings)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Galaxy"] = Database.ConnectionStringAs(DatabaseRoles.Silo),
                ["Galaxy:Topology:Labscapes"] = Labscapes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Galaxy:Topology:UnitsPerLabscape"] = UnitsPerLabscape.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.UseGalaxy(siloBuilder.Configuration);
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = GalaxySiloBuilderExtensions.NpgsqlInvariant;
                options.ConnectionString = configuration.GetGalaxyConnectionString();
            });
    }
}
