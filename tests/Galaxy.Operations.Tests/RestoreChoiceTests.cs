using Galaxy.Operations.Postgres;
using Galaxy.Operations.Restore;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Which backup a restore starts from: the one asked for (unless it ended after the target), else the newest verified
/// one that finished before the target; and how the target reaches the restored server's settings.
/// </summary>
public sealed class RestoreChoiceTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_an_id_the_newest_verified_backup_before_the_target_is_chosen()
    {
        using var folder = new BackupFolder();
        var atTen = folder.Add(Ten);
        folder.Add(Ten.AddHours(1), verificationFailure: "checksum mismatch for file \"base/1/1234\"");
        var atTwelve = folder.Add(Ten.AddHours(2));
        var restorer = RestorerOver(folder);

        Assert.Equal(atTwelve.Id, restorer.Choose(Request(RecoveryTarget.Latest)).Id);
        Assert.Equal(atTen.Id, restorer.Choose(Request(RecoveryTarget.At(Ten.AddMinutes(90)))).Id);
    }

    [Fact]
    public void A_target_before_every_backup_is_refused_with_the_oldest_named()
    {
        using var folder = new BackupFolder();
        folder.Add(Ten);

        var error = Assert.Throws<OperationsException>(() => RestorerOver(folder).Choose(Request(RecoveryTarget.At(Ten.AddHours(-1)))));

        Assert.Equal("No backup finished before 2026-12-01 09:00:00.000000 UTC; the oldest finished at 2026-12-01 10:00:00Z.", error.Message);
    }

    [Fact]
    public void A_backup_asked_for_is_used_unless_it_finished_after_the_target()
    {
        using var folder = new BackupFolder();
        var backup = folder.Add(Ten);
        var restorer = RestorerOver(folder);

        Assert.Equal(backup.Id, restorer.Choose(Request(RecoveryTarget.At(Ten.AddMinutes(1)), backup.Id)).Id);
        var error = Assert.Throws<OperationsException>(() => restorer.Choose(Request(RecoveryTarget.At(Ten.AddMinutes(-1)), backup.Id)));
        Assert.Equal(
            $"Backup {backup.Id} finished at 2026-12-01 10:00:00Z, after 2026-12-01 09:59:00.000000 UTC: a restore cannot go back before a backup's end.",
            error.Message);
    }

    [Fact]
    public void With_no_verified_backup_there_is_nothing_to_restore()
    {
        using var folder = new BackupFolder();
        folder.Add(Ten, verificationFailure: "backup_manifest is missing");

        var error = Assert.Throws<OperationsException>(() => RestorerOver(folder).Choose(Request(RecoveryTarget.Latest)));

        Assert.Equal($"There is no verified backup in {folder.Options.BaseDirectory} (./galaxy backup takes one).", error.Message);
    }

    [Fact]
    public void Each_target_becomes_the_recovery_settings_it_means_and_reads_as_it_is_meant()
    {
        var moment = RecoveryTarget.At(new DateTimeOffset(2026, 12, 1, 13, 4, 5, 678, TimeSpan.FromHours(2)));

        Assert.Empty(RecoveryTarget.Latest.Settings);
        Assert.Equal([("recovery_target", "immediate")], RecoveryTarget.EndOfBackup.Settings);
        Assert.Equal([("recovery_target_time", "2026-12-01 11:04:05.678000+00"), ("recovery_target_inclusive", "on")], moment.Settings);
        Assert.Equal(
            ["the end of the archive", "the end of the base backup", "2026-12-01 11:04:05.678000 UTC"],
            new[] { RecoveryTarget.Latest, RecoveryTarget.EndOfBackup, moment }.Select(target => target.ToString()));
    }

    private static Restorer RestorerOver(BackupFolder folder) => new(folder.Store, PostgresTools.Find(), TimeProvider.System);

    private static RestoreRequest Request(RecoveryTarget target, string? backupId = null) => new()
    {
        BackupId = backupId, Target = target, DataDirectory = "/nonexistent", Port = 1, ConnectionString = "Host=127.0.0.1",
    };
}
