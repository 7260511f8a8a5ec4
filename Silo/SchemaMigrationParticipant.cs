using Galaxy.Persistence;
using Microsoft.Extensions.Logging;

namespace Galaxy.Silo;

/// <summary>
/// Brings the database schema up to date before anything in the silo touches it: the ADO.NET providers read their
/// queries from <c>OrleansQuery</c> while they initialise.
/// </summary>
internal sealed class SchemaMigrationParticipant(string connectionString, ILogger<SchemaMigrator> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SchemaMigrationParticipant),
            ServiceLifecycleStage.First,
            cancellationToken => new SchemaMigrator(logger).ApplyAsync(connectionString, cancellationToken));
}
