using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Galaxy.Persistence.GroupCommit;

public static class GroupCommitStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GroupCommitGrainStorage"/> as the grain storage named <paramref name="name"/>, with options
    /// validated when the host starts. The provider opens no connection until the first read or write, and on shutdown
    /// commits every write it has queued.
    /// </summary>
    public static IServiceCollection AddGroupCommitGrainStorage(
        this IServiceCollection services, string name, Action<GroupCommitStorageOptions> configure)
    {
        services.AddOptions<GroupCommitStorageOptions>(name)
            .Configure(configure)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, _) => GroupCommitGrainStorage.Create(provider, name));
        return services;
    }
}
