using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Cluster.Tests;

public sealed class SchemaTests : IClassFixture<TestDatabase>
{
    private static readonly string[] ProviderQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
    ];

    private readonly TestDatabase _database;

    public SchemaTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task Applying_the_schema_again_applies_nothing_and_changes_nothing()
    {
        var catalogueBefore = await QueryCatalogueAsync();

        var applied = await new SchemaMigrator().ApplyAsync(_database.ConnectionString);

        Assert.Empty(applied);
        Assert.Equal(catalogueBefore, await QueryCatalogueAsync());
        Assert.Equal((long)SchemaMigrator.Scripts.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM galaxy_schema_history"));
    }

    [Fact]
    public async Task Every_script_can_run_twice_by_hand()
    {
        var catalogueBefore = await QueryCatalogueAsync();

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        foreach (var script in SchemaMigrator.Scripts)
        {
            await using var command = new NpgsqlCommand(script.Sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(catalogueBefore, await QueryCatalogueAsync());
    }

    [Fact]
    public async Task The_catalogue_holds_every_query_the_Orleans_providers_require()
    {
        var catalogue = await QueryCatalogueAsync();

        Assert.Equal(ProviderQueryKeys.Order(), catalogue.Keys.Order());
    }

    [Fact]
    public async Task Silos_migrating_a_fresh_database_at_once_apply_each_script_exactly_once()
    {
        var fresh = new TestDatabase();
        await fresh.InitializeAsync();
        try
        {
            await using (var connection = new NpgsqlConnection(fresh.ConnectionString))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", connection);
                await drop.ExecuteNonQueryAsync();
            }

            var results = await Task.WhenAll(Enumerable.Range(0, 4)
                .Select(_ => new SchemaMigrator().ApplyAsync(fresh.ConnectionString)));

            Assert.Equal(SchemaMigrator.Scripts.Count, results.Sum(applied => applied.Count));
            Assert.Equal((long)SchemaMigrator.Scripts.Count, await fresh.ScalarAsync<long>("SELECT count(*) FROM galaxy_schema_history"));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Storage_rows_are_unique_per_key_even_without_an_extension_string()
    {
        const string insert = """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, ServiceId, Version)
            VALUES (1, 0, 77, 1, 'unit', 'schema-test', 1)
            """;
        await _database.ScalarAsync<object>(insert);

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => _database.ScalarAsync<object>(insert));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    private async Task<Dictionary<string, string>> QueryCatalogueAsync()
    {
        var catalogue = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            catalogue[reader.GetString(0)] = reader.GetString(1);
        }

        return catalogue;
    }
}
