using Galaxy.Operations.Restore;
using Galaxy.Operations.Status;
using Galaxy.Persistence;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Restores of one real backup: the trial restore that proves it and records the verdict, a restore over an old data
/// folder (moved aside, never deleted), and the folders a restore refuses to touch.
/// </summary>
[Collection(BackedUpServer.Collection)]
public sealed class RestoreTests(BackedUpServer server)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_trial_restore_proves_the_backup_records_its_verdict_and_leaves_no_scratch_folder()
    {
        var scratch = BackedUpServer.ScratchFolder();
        var phases = new List<string>();
        try
        {
            var result = await new TrialRestore(server.Archiving.Store, server.Archiving.Tools, new FixedClock(Now)).RunAsync(
                server.Backup.Id, server.ConnectionString, scratch, (phase, _) => phases.Add(phase), CancellationToken.None);

            Assert.True(result.Database.AuditIntact, result.Database.AuditBroken);
            Assert.Equal(SchemaMigrator.Scripts.Max(script => script.Version), result.Database.SchemaVersion);
            var recorded = server.Archiving.Store.Get(server.Backup.Id);
            Assert.Equal(Now, recorded.TrialRestoredAt);
            Assert.Equal("restored: " + result.Database.Summary, recorded.TrialRestoreSummary);
            Assert.Contains($"verifying backup {server.Backup.Id}", phases);
            Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task A_restore_over_an_old_data_folder_moves_it_aside_and_never_deletes_it()
    {
        var scratch = BackedUpServer.ScratchFolder();
        var target = Path.Combine(scratch, "data");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "old-data"), "what was here");
        try
        {
            var result = await RestoreAsync(target, replace: true, RecoveryTarget.EndOfBackup);

            Assert.NotNull(result.MovedAside);
            Assert.StartsWith($"{target}.replaced-", result.MovedAside, StringComparison.Ordinal);
            Assert.Equal("what was here", await File.ReadAllTextAsync(Path.Combine(result.MovedAside, "old-data")));
            Assert.True(File.Exists(Path.Combine(target, "PG_VERSION")), "the restored folder is not a data folder");
            Assert.True(result.Database.AuditIntact, result.Database.AuditBroken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task A_restore_is_refused_into_a_folder_that_holds_data_and_over_a_server_that_may_be_running()
    {
        var target = Directory.CreateTempSubdirectory("galaxy-restore-target-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(target, "PG_VERSION"), "17");
            var notEmpty = await Assert.ThrowsAsync<OperationsException>(() => RestoreAsync(target, replace: false, RecoveryTarget.Latest));
            Assert.Equal($"{target} is not empty: restore into a new folder, or replace it (its data is moved aside, not deleted).", notEmpty.Message);

            await File.WriteAllTextAsync(Path.Combine(target, "postmaster.pid"), "4242");
            var running = await Assert.ThrowsAsync<OperationsException>(() => RestoreAsync(target, replace: true, RecoveryTarget.Latest));
            Assert.Equal($"A server may be running on {target} (it has a postmaster.pid): stop it first.", running.Message);

            Assert.Equal(["PG_VERSION", "postmaster.pid"], Directory.EnumerateFiles(target).Select(file => Path.GetFileName(file)).Order());
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task The_status_of_a_database_without_galaxys_schema_shows_the_server_and_its_wal_archiving()
    {
        var status = await GalaxyStatus.ReadAsync(server.PlainDatabase, "galaxy", "galaxy", CancellationToken.None);

        Assert.Equal(0, status.SchemaVersion);
        Assert.Empty(status.Silos);
        Assert.Empty(status.StateRows);
        Assert.True(status.DatabaseBytes > 0);
        Assert.Equal("on", status.Archiver.Mode);
        Assert.True(status.Archiver.Archived > 0, "the backup's WAL was archived, yet the status shows none");
        Assert.NotNull(status.Archiver.LastArchived);
        Assert.NotNull(status.Archiver.LastArchivedAt);
    }

    [Fact]
    public async Task A_restored_database_without_galaxys_schema_reads_as_schema_0_and_nothing_in_it()
    {
        var database = await RestoredDatabase.ReadAsync(server.PlainDatabase, CancellationToken.None);

        Assert.Equal(0, database.SchemaVersion);
        Assert.True(database.AuditIntact);
        Assert.Equal("schema 0; state rows ; 0 models, 0 versions, 0 datasets, 0 training jobs; audit chain intact (0 rows)", database.Summary);
    }

    private Task<RestoreResult> RestoreAsync(string target, bool replace, RecoveryTarget recoveryTarget) =>
        new Restorer(server.Archiving.Store, server.Archiving.Tools, TimeProvider.System).RestoreAsync(
            new RestoreRequest
            {
                BackupId = server.Backup.Id,
                Target = recoveryTarget,
                DataDirectory = target,
                ReplaceExisting = replace,
                Port = LoopbackPort.Free(),
                ConnectionString = server.ConnectionString,
                ArchiveAfterRestore = false,
            },
            CancellationToken.None);
}
