using Galaxy.Persistence.GroupCommit;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Galaxy.Silo.Tests;

/// <summary>The labscapes' bulk read of unit state, when PostgreSQL is out of reach.</summary>
public sealed class PostgresUnitStateSourceTests
{
    [Fact]
    public async Task A_read_while_the_database_is_unreachable_fails_as_storage_unavailable_naming_the_units_and_frees_its_slot()
    {
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=galaxy_silo;Database=galaxy");
        await using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var source = new PostgresUnitStateSource(
            unreachable, Options.Create(new ClusterOptions { ServiceId = "galaxy" }), ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services));

        // More reads than the four that may run at once: each failed read gives its turn back.
        for (var read = 0; read < 6; read++)
        {
            var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => source.ReadRangeAsync(8, 4, CancellationToken.None));
            Assert.Contains("units 8…11 could not be read", error.Message, StringComparison.Ordinal);
            Assert.Null(error.InnerException);
        }
    }
}
