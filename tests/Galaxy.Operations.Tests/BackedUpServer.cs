using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Operations.Tests;

/// <summary>
/// An archiving server of its own whose <c>galaxy</c> database has Galaxy's schema, backed up once: for the tests that
/// restore, check or read that backup and server, sharing the cost of making them.
/// </summary>
public sealed class BackedUpServer : IAsyncLifetime
{
    public const string Collection = "backed-up server";

    public ArchivingServer Archiving { get; private set; } = null!;

    public BackupRecord Backup { get; private set; } = null!;

    /// <summary>The superuser's connection to the backed-up database.</summary>
    public string ConnectionString => Archiving.Server.ConnectionString;

    /// <summary>A database of the server without Galaxy's schema (PostgreSQL's own).</summary>
    public string PlainDatabase => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" }.ConnectionString;

    public async Task InitializeAsync()
    {
        Archiving = await ArchivingServer.StartAsync();
        await new SchemaMigrator().ApplyAsync(TestRoles.As(ConnectionString, DatabaseRoles.Owner));
        Backup = await Archiving.BackUpAsync();
    }

    public async Task DisposeAsync() => await Archiving.DisposeAsync();

    /// <summary>An empty folder the server's account may enter (as root the restored server runs as <c>postgres</c>).</summary>
    public static string ScratchFolder()
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-restore-scratch-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }

        return folder;
    }
}

[CollectionDefinition(BackedUpServer.Collection)]
public sealed class BackedUpServerCollection : ICollectionFixture<BackedUpServer>;
