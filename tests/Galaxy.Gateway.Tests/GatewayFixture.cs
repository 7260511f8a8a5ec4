using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Galaxy.Gateway.Tests;

/// <summary>The real gateway, in a test host, as an Orleans client of a real one-silo galaxy.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GalaxyTestCluster Galaxy { get; } = new() { InitialSilos = 1 };

    public WebApplicationFactory<Program> Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Galaxy.InitializeAsync();
        Gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:Galaxy", Galaxy.Database.ConnectionString)
            .UseSetting("Galaxy:Cluster:ClusterId", Galaxy.Cluster.Options.ClusterId)
            .UseSetting("Galaxy:Cluster:ServiceId", Galaxy.Cluster.Options.ServiceId));
        Http = Gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Galaxy.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
