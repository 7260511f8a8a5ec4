using Galaxy.Operations.Status;
using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Operations.Tests;

/// <summary>
/// <c>./galaxy status</c>'s reading of a galaxy's database: the server, the schema, this cluster's silos (in start
/// order, their status named), this service's state rows by kind, and the registry's counts.
/// </summary>
public sealed class GalaxyStatusTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_status_shows_this_clusters_silos_and_this_services_state_and_registry()
    {
        await ExecuteAsync(
            """
            INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES ('blue'), ('green');
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, StartTime, IAmAliveTime) VALUES
                ('blue', '10.0.0.2', 11111, 2, 'silo-b', 'host-b', 6, @start + interval '1 minute', @start + interval '5 minutes'),
                ('blue', '10.0.0.1', 11111, 1, 'silo-a', 'host-a', 3, @start, @start + interval '9 minutes'),
                ('blue', '10.0.0.3', 11112, 3, 'silo-c', 'host-c', 9, @start + interval '2 minutes', @start + interval '2 minutes'),
                ('green', '10.0.1.1', 11111, 1, 'other-cluster', 'host-x', 3, @start, @start);
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, ServiceId) VALUES
                (1, 0, 1, 7, 'unit', 'sky'), (2, 0, 2, 7, 'unit', 'sky'), (3, 0, 0, 8, 'labscape', 'sky'), (4, 0, 1, 7, 'unit', 'elsewhere');
            INSERT INTO galaxy_models (id, name, description, tags, created_by, created_at, updated_at)
                VALUES (gen_random_uuid(), 'status-model', '', '{}', 'test', @start, @start);
            """);

        var status = await GalaxyStatus.ReadAsync(database.ConnectionString, "blue", "sky", CancellationToken.None);

        Assert.Equal(await database.ScalarAsync<string>("SELECT current_setting('server_version')"), status.ServerVersion);
        Assert.Equal(SchemaMigrator.Scripts.Max(script => script.Version), status.SchemaVersion);
        Assert.Equal(
            [
                new SiloRow("silo-a", "10.0.0.1:11111", "Active", Start, Start.AddMinutes(9)),
                new SiloRow("silo-b", "10.0.0.2:11111", "Dead", Start.AddMinutes(1), Start.AddMinutes(5)),
                new SiloRow("silo-c", "10.0.0.3:11112", "status 9", Start.AddMinutes(2), Start.AddMinutes(2)),
            ],
            status.Silos);
        Assert.Equal(new Dictionary<string, long> { ["labscape"] = 1, ["unit"] = 2 }, status.StateRows);
        Assert.Equal((1L, 0L, 0L), (status.Models, status.Datasets, status.AuditRows));
        Assert.Empty(status.TrainingJobs);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter("start", Start) } };
        await command.ExecuteNonQueryAsync();
    }
}
