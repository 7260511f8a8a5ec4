using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// The two grain storages side by side on one database, as a silo would build them (same service id, same binary
/// serializer), without the silo: a service container and the silo lifecycle that initialises the stock provider.
/// </summary>
internal sealed class StorageHost : IAsyncDisposable
{
    private const string StockName = "stock";
    private const string GroupCommitName = "group-commit";

    private readonly ServiceProvider _services;
    private readonly SiloLifecycleSubject _lifecycle;

    private StorageHost(ServiceProvider services, SiloLifecycleSubject lifecycle)
    {
        _services = services;
        _lifecycle = lifecycle;
    }

    /// <summary>Microsoft.Orleans.Persistence.AdoNet's provider, configured as Galaxy's silo configures it.</summary>
    public IGrainStorage Stock => _services.GetRequiredKeyedService<IGrainStorage>(StockName);

    public IGrainStorage GroupCommit => _services.GetRequiredKeyedService<IGrainStorage>(GroupCommitName);

    public static async Task<StorageHost> StartAsync(
        string connectionString, Action<GroupCommitStorageOptions>? configure = null, TimeProvider? clock = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(CounterState).Assembly));
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddAdoNetGrainStorage(StockName, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
        services.AddOptions<AdoNetGrainStorageOptions>(StockName).Configure<IServiceProvider>((options, provider) =>
            options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(provider));
        services.AddGroupCommitGrainStorage(GroupCommitName, options =>
        {
            options.ConnectionString = connectionString;
            configure?.Invoke(options);
        });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var lifecycle = new SiloLifecycleSubject(provider.GetRequiredService<ILogger<SiloLifecycleSubject>>());
        foreach (var participant in provider.GetServices<ILifecycleParticipant<ISiloLifecycle>>())
        {
            participant.Participate(lifecycle);
        }

        await lifecycle.OnStart();
        return new StorageHost(provider, lifecycle);
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.OnStop();
        await _services.DisposeAsync();
    }
}
