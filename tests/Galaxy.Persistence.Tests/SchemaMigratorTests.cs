using Microsoft.Extensions.Logging;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// Migrating a database that is behind: only the missing scripts run, and a script applied before in another version
/// is left as it is, with a warning that names it.
/// </summary>
public sealed class SchemaMigratorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_database_behind_gets_only_its_missing_scripts_and_a_changed_script_is_named_not_rerun()
    {
        var first = SchemaMigrator.Scripts[0];
        var latest = SchemaMigrator.Scripts[^1];
        await database.ScalarAsync<int>("UPDATE galaxy_schema_history SET sha256 = 'an-older-edition' WHERE version = $1", first.Version);
        await database.ScalarAsync<int>("DELETE FROM galaxy_schema_history WHERE version = $1", latest.Version);
        var logs = new LogLines();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));

        var applied = await new SchemaMigrator(loggers.CreateLogger<SchemaMigrator>()).ApplyAsync(database.ConnectionStringAs(DatabaseRoles.Owner));

        Assert.Equal([latest.Name], applied.Select(script => script.Name));
        Assert.Contains($"Warning: Schema script {first.Name} differs from the version applied to this database; it is not re-applied.", logs.Lines);
        Assert.Equal("an-older-edition", await database.ScalarAsync<string>("SELECT sha256 FROM galaxy_schema_history WHERE version = $1", first.Version));
        Assert.Equal(latest.Sha256, await database.ScalarAsync<string>("SELECT sha256 FROM galaxy_schema_history WHERE version = $1", latest.Version));
    }
}
