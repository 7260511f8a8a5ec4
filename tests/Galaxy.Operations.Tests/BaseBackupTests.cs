using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Tests;

/// <summary>
/// The servers a base backup is refused for before anything is copied, each with what to do: one still recovering,
/// a role that may not replicate, and a server newer than the client programs.
/// </summary>
public sealed class BaseBackupTests
{
    private static readonly PostgresTools Tools = PostgresTools.Find();

    private static readonly ServerFacts Primary = new(
        Tools.MajorVersion, $"{Tools.MajorVersion}.2", 7_000_000_000_000_000_001, 1, IsSuperuser: true, CanReplicate: true, InRecovery: false,
        "replica", "on", "", 60, 16 * 1024 * 1024);

    [Fact]
    public async Task A_server_still_recovering_is_not_backed_up()
    {
        var refusal = await RefusedAsync(Primary with { InRecovery = true });

        Assert.Equal("The server is still recovering (a standby, or a restore in progress): back up its primary, or wait until it is promoted.", refusal);
    }

    [Fact]
    public async Task A_role_that_may_not_replicate_is_told_what_it_needs()
    {
        var refusal = await RefusedAsync(Primary with { IsSuperuser = false, CanReplicate = false });

        Assert.StartsWith("This role may not take base backups: it needs the REPLICATION attribute", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_newer_than_the_client_programs_is_refused_naming_both_versions()
    {
        var refusal = await RefusedAsync(Primary with { MajorVersion = Tools.MajorVersion + 1 });

        Assert.StartsWith($"pg_basebackup {Tools.MajorVersion} cannot back up a PostgreSQL {Tools.MajorVersion + 1} server", refusal, StringComparison.Ordinal);
    }

    private static async Task<string> RefusedAsync(ServerFacts facts)
    {
        using var folder = new BackupFolder();
        var error = await Assert.ThrowsAsync<OperationsException>(() =>
            new BaseBackup(folder.Store, Tools, TimeProvider.System).TakeAsync("Host=127.0.0.1;Port=1", facts, null, CancellationToken.None));

        Assert.False(Directory.Exists(folder.Options.BaseDirectory), "a refused backup began a backup folder");
        return error.Message;
    }
}
