using Galaxy.Operations.Postgres;
using Npgsql;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Setting a server up to archive its WAL into the backup folder, as its facts allow: not at all at
/// <c>wal_level = minimal</c>, by the operator when this role may not, and with a restart when archiving was off.
/// </summary>
[Collection(BackedUpServer.Collection)]
public sealed class WalArchiveTests(BackedUpServer server)
{
    [Fact]
    public async Task A_server_that_archives_into_the_folder_already_is_ready_as_it_is()
    {
        var facts = await ServerFacts.ReadAsync(server.ConnectionString, CancellationToken.None);

        Assert.Equal((Archive.ArchiveCommand, server.Archiving.Options.ArchiveTimeoutSeconds), (facts.ArchiveCommand, facts.ArchiveTimeoutSeconds));
        Assert.Equal(ArchivingState.Ready, await Archive.EnsureAsync(server.ConnectionString, facts, CancellationToken.None));
    }

    [Fact]
    public async Task A_server_at_wal_level_minimal_is_refused_with_what_to_change()
    {
        var facts = await ServerFacts.ReadAsync(server.ConnectionString, CancellationToken.None) with { WalLevel = "minimal" };

        var error = await Assert.ThrowsAsync<OperationsException>(() => Archive.EnsureAsync(server.ConnectionString, facts, CancellationToken.None));

        Assert.Equal("The server runs with wal_level = minimal, which cannot be archived: set wal_level = replica and restart it.", error.Message);
    }

    [Fact]
    public async Task A_role_that_may_not_set_archiving_up_is_told_the_settings_a_superuser_must_make()
    {
        var facts = await ServerFacts.ReadAsync(server.ConnectionString, CancellationToken.None) with { IsSuperuser = false, ArchiveCommand = "" };

        var error = await Assert.ThrowsAsync<OperationsException>(() => Archive.EnsureAsync(server.ConnectionString, facts, CancellationToken.None));

        Assert.Contains($"does not archive WAL into {server.Archiving.Options.ArchiveDirectory}, and this role may not change that", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"  archive_mode = on\n  archive_command = '{Archive.ArchiveCommand}'\n  archive_timeout = {server.Archiving.Options.ArchiveTimeoutSeconds}\n",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_superuser_server_with_archiving_off_has_it_turned_on_for_its_next_start()
    {
        var facts = await ServerFacts.ReadAsync(server.ConnectionString, CancellationToken.None) with { ArchiveMode = "off" };

        Assert.Equal(ArchivingState.NeedsRestart, await Archive.EnsureAsync(server.ConnectionString, facts, CancellationToken.None));

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var setting = new NpgsqlCommand(
            "SELECT setting FROM pg_file_settings WHERE name = 'archive_mode' AND sourcefile LIKE '%postgresql.auto.conf'", connection);
        Assert.Equal("on", await setting.ExecuteScalarAsync());
    }

    private WalArchive Archive => new(server.Archiving.Options);
}
