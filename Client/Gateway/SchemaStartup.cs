using Galaxy.Persistence;

namespace Galaxy.Gateway;

/// <summary>
/// Brings the database to this build's schema before the gateway serves: Guardian's tables (credentials, audit) are
/// the gateway's own, so it cannot count on a silo having started first. The migrator is safe to run concurrently.
/// </summary>
internal sealed class SchemaStartup(IConfiguration configuration, ILogger<SchemaMigrator> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        new SchemaMigrator(logger).ApplyAsync(configuration.GetGalaxyConnectionString(), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
