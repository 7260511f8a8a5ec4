using Galaxy.Operations.Postgres;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>
/// A private PostgreSQL that archives its WAL (archive_mode on from the start; the backup code sets the command), with
/// a backup folder of its own: destructive tests never touch the shared server.
/// </summary>
public sealed class ArchivingServer : IAsyncDisposable
{
    private ArchivingServer(PostgresServer server, BackupOptions options)
    {
        Server = server;
        Options = options;
    }

    public PostgresServer Server { get; }

    public BackupOptions Options { get; }

    public BackupStore Store => new(Options);

    public PostgresTools Tools { get; } = PostgresTools.Find();

    public static async Task<ArchivingServer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-backups-").FullName;
        // The server's account (postgres, when the tests run as root) must reach the archive inside it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }
        var options = new BackupOptions { Directory = folder, ArchiveTimeoutSeconds = 60 }.Validate();
        Directory.CreateDirectory(options.ArchiveDirectory);
        var server = await PostgresServer.StartNewAsync(settings: "archive_mode=on");
        var archiving = new ArchivingServer(server, options);
        await archiving.Tools.GiveToServerAsync(options.ArchiveDirectory);
        return archiving;
    }

    /// <summary>Sets up archiving, then takes a verified base backup.</summary>
    public async Task<BackupRecord> BackUpAsync()
    {
        var facts = await ServerFacts.ReadAsync(Server.ConnectionString, default);
        Assert.Equal(ArchivingState.Ready, await new WalArchive(Options).EnsureAsync(Server.ConnectionString, facts, default));
        await new WalArchive(Options).SwitchAndWaitAsync(Server.ConnectionString, default);
        return await new BaseBackup(Store, Tools, TimeProvider.System).TakeAsync(Server.ConnectionString, facts, null, default);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Options.Directory, recursive: true);
    }
}
