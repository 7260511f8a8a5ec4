using Galaxy.Grains;
using Galaxy.Operations.Restore;
using Galaxy.Testing.Processes;
using Npgsql;
using Xunit.Abstractions;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Restores of a real galaxy database from a base backup and the WAL archive: to a moment between two learns of one
/// unit, and refused when the backup is damaged.
/// </summary>
public sealed class PointInTimeRestoreTests(ITestOutputHelper output)
{
    private const long Unit = 5;
    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => i / 16f).ToArray();
    private static readonly float[] Target = [1, 0, 0, 0];

    [Fact]
    public async Task A_restore_to_a_moment_between_two_learns_has_the_first_and_not_the_second()
    {
        await using var archiving = await ArchivingServer.StartAsync();
        var cluster = new GalaxyTestCluster { InitialSilos = 1, Database = TestDatabase.OnServer(archiving.Server.ConnectionString) };
        await cluster.InitializeAsync();
        long afterFirst, afterSecond;
        DateTimeOffset between;
        try
        {
            var backup = await archiving.BackUpAsync();
            output.WriteLine($"backup {backup.Id}: {backup.Bytes:N0} bytes");
            var unit = cluster.Client.GetGrain<IAiUnitGrain>(Unit);

            await unit.Learn(Input, Target);
            afterFirst = await StoredVersionAsync(cluster.Database.ConnectionString);
            between = DateTimeOffset.UtcNow;
            // The second learn commits strictly after the target: the clock has moved past it before it is sent.
            while (DateTimeOffset.UtcNow <= between.AddMilliseconds(1))
            {
                await Task.Yield();
            }

            await unit.Learn(Input, Target);
            afterSecond = await StoredVersionAsync(cluster.Database.ConnectionString);
            await new WalArchive(archiving.Options).SwitchAndWaitAsync(archiving.Server.ConnectionString, default);
        }
        finally
        {
            await cluster.Cluster.DisposeAsync();
        }

        Assert.True(afterSecond > afterFirst, $"the second learn did not write the unit's row ({afterFirst} → {afterSecond})");
        var restored = Path.Combine(Path.GetTempPath(), $"galaxy-restored-{Guid.NewGuid():N}");
        try
        {
            var result = await new Restorer(archiving.Store, archiving.Tools, TimeProvider.System).RestoreAsync(
                new RestoreRequest
                {
                    Target = RecoveryTarget.At(between),
                    DataDirectory = restored,
                    Port = LoopbackPort.Free(),
                    ConnectionString = cluster.Database.ConnectionString,
                    ArchiveAfterRestore = false,
                    KeepRunning = true,
                },
                default);
            output.WriteLine($"restored to {result.RestoredTo:O} (target {between:O}): {result.Database.Summary}");

            Assert.Equal(afterFirst, await StoredVersionAsync(result.ConnectionString));
            Assert.True(result.RestoredTo <= between, $"replayed a transaction of {result.RestoredTo:O}, after the target {between:O}");
            Assert.True(result.Database.AuditIntact, result.Database.AuditBroken);
            Assert.Equal(2, result.Timeline);
        }
        finally
        {
            await StopAsync(archiving, restored);
        }
    }

    [Fact]
    public async Task A_damaged_backup_fails_verification_and_is_refused_by_restore_with_the_file_named()
    {
        await using var archiving = await ArchivingServer.StartAsync();
        await using (var database = TestDatabase.OnServer(archiving.Server.ConnectionString))
        {
            await database.InitializeAsync();
            var backup = await archiving.BackUpAsync();
            var folder = archiving.Store.PathOf(backup.Id);

            // One flipped byte in the largest relation file, as a bad disk or a careless copy would leave it.
            var victim = Directory.EnumerateFiles(Path.Combine(folder, "base"), "*", SearchOption.AllDirectories).MaxBy(file => new FileInfo(file).Length)!;
            await using (var file = new FileStream(victim, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = file.Length / 2;
                var value = file.ReadByte();
                file.Position--;
                file.WriteByte((byte)(value ^ 0xFF));
            }

            var verification = await new BackupVerifier(archiving.Store, archiving.Tools, TimeProvider.System).VerifyAsync(backup, default);
            var relative = Path.GetRelativePath(folder, victim);
            Assert.False(verification.Passed);
            Assert.Contains("checksum mismatch", verification.Record.VerificationFailure, StringComparison.Ordinal);
            Assert.Contains(relative, verification.Record.VerificationFailure, StringComparison.Ordinal);

            var target = Path.Combine(Path.GetTempPath(), $"galaxy-restored-{Guid.NewGuid():N}");
            var refused = await Assert.ThrowsAsync<OperationsException>(() => new Restorer(archiving.Store, archiving.Tools, TimeProvider.System).RestoreAsync(
                new RestoreRequest { BackupId = backup.Id, DataDirectory = target, Port = LoopbackPort.Free(), ConnectionString = database.ConnectionString },
                default));
            output.WriteLine(refused.Message);
            Assert.Contains($"Backup {backup.Id} failed verification and will not be restored", refused.Message, StringComparison.Ordinal);
            Assert.Contains(relative, refused.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(target), "a refused restore still laid down a data folder");
        }
    }

    private static async Task<long> StoredVersionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Version FROM OrleansStorage WHERE GrainTypeString = 'unit' AND GrainIdN1 = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = Unit } },
        };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task StopAsync(ArchivingServer archiving, string dataDirectory)
    {
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await archiving.Tools.RunAsServerAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);
        }

        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
