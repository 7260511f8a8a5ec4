using Galaxy.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Galaxy.Bench;

/// <summary>
/// A real Galaxy silo inside the benchmark process (ADO.NET clustering and storage on the scratch database), so
/// in-cluster figures include the runtime, the grains and PostgreSQL but no client network hop.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    public const string ServiceId = "galaxy-bench";

    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchSilo> StartAsync(string connectionString, string clusterId, IDictionary<string, string?> settings)
    {
        // The silo's own appsettings.json (its log levels among it), as the silo that `./galaxy up` starts reads it.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Path.Combine(Galaxy.Testing.Processes.RepositoryBuild.Root, "Silo"),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:Galaxy"] = connectionString,
        });
        var cluster = new GalaxyClusterOptions
        {
            ClusterId = clusterId,
            ServiceId = ServiceId,
            SiloPort = 21_111,
            GatewayPort = 40_000,
        };
        builder.UseOrleans(silo => silo.UseGalaxyEndpoints(cluster).UseGalaxy(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>A grain that does nothing: the runtime's own cost per call, the ceiling for every other figure.</summary>
[Alias("galaxy.bench.IEmptyGrain")]
public interface IEmptyGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task Ping();
}

public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public Task Ping() => Task.CompletedTask;
}
