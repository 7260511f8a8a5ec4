using System.Diagnostics;
using Galaxy.Operations.Backup;
using Galaxy.Testing.Processes;
using Galaxy.Testing.Recovery;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench recovery [--labscapes N] [--silos S] [--workers W] [--after-backup SECONDS] [--archive-timeout SECONDS]</c>:
/// the recovery drill of <c>./galaxy test</c> at full size. A seeded galaxy in S silo processes with the gateway and a
/// private PostgreSQL archiving its WAL (archive_timeout 60 s, as deployed); under a learn load of W learners a base
/// backup is taken, learning goes on, the data folder is destroyed and the database restored to the last archived
/// moment; the galaxy starts again and every unit learned on is held to the client's ledger.
/// </summary>
public sealed class RecoveryBenchmark : IBenchmark
{
    private const int UnitsPerLabscape = 4096;

    public string Name => "recovery";

    public string Description => "back up under load, destroy the data folder, restore to the last archived moment: RPO, RTO, lost acks";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var labscapes = BenchArguments.Option(args, "--labscapes", 256);
        var silos = BenchArguments.Option(args, "--silos", 3);
        var workers = BenchArguments.Option(args, "--workers", 512);
        var afterBackup = BenchArguments.Option(args, "--after-backup", 30);
        var archiveTimeout = BenchArguments.Option(args, "--archive-timeout", 60);
        var units = labscapes * UnitsPerLabscape;

        var setUp = Stopwatch.StartNew();
        var backups = Directory.CreateTempSubdirectory("galaxy-bench-backups-");
        if (!OperatingSystem.IsWindows())
        {
            // The server's account (postgres, when run as root) must reach the archive inside it.
            File.SetUnixFileMode(backups.FullName, (UnixFileMode)0b111_101_101);
        }

        try
        {
            await using var galaxy = await LocalGalaxy.StartAsync(
                new LocalGalaxyOptions(silos, labscapes, UnitsPerLabscape, Seed: true, PostgresSettings: ["archive_mode=on"]),
                cancellationToken);
            galaxy.KeepLogs = true;
            Console.WriteLine($"{units:N0} units seeded, {silos} silos and the gateway up in {setUp.Elapsed.TotalSeconds:F0} s; logs in {galaxy.LogDirectory}");

            var drill = new RecoveryDrill(
                galaxy, units,
                new BackupOptions { Directory = backups.FullName, ArchiveTimeoutSeconds = archiveTimeout }.Validate(),
                new RecoveryDrillOptions
                {
                    Workers = workers,
                    BeforeBackup = TimeSpan.FromSeconds(15),
                    AfterBackup = TimeSpan.FromSeconds(afterBackup),
                    Progress = line => Console.WriteLine($"[{setUp.Elapsed.TotalSeconds,5:F0} s] {line}"),
                });
            var result = await drill.RunAsync(cancellationToken);
            Console.WriteLine(result);

            var size = $"{units:N0} units, {silos} silos, {workers} learners through the gateway, archive_timeout {archiveTimeout} s";
            report.Record("recovery.lost_acks", result.LostBeforeRestorePoint, "learns",
                $"acknowledged at or before the restore point and missing (must be 0); {result.Acknowledged:N0} acknowledged; {size}");
            report.Record("recovery.rpo_s", result.RecoveryPointSeconds, "s",
                $"acknowledged learns the lost data folder cost: {result.LostAfterRestorePoint:N0} learns, oldest this long before the loss");
            report.Record("recovery.restore_point_age_s", result.RestorePointAgeSeconds, "s", "last replayed commit before the loss");
            report.Record("recovery.rto_s", result.RecoveryTimeSeconds, "s", "from the restore's start to the gateway serving a unit again");
            report.Record("recovery.restore_s", result.RestoreSeconds, "s", "of which the restore: verify, copy, replay the archive, check");
            report.Record("recovery.backup_s", result.BackupSeconds, "s", "base backup under load (pg_basebackup, verified)");
            report.Record("recovery.backup_bytes", result.BackupBytes, "B", "the base backup's size");
            report.Record("recovery.from_archive", result.RecoveredFromArchive, "learns", "acknowledged after the backup and brought back by the WAL archive");
            report.Record("recovery.diverged_units", result.UnitsDiverged, "units",
                $"of {result.Units:N0} read back: parameters off their restored revision's replay (must be 0)");
            report.Record("recovery.learns_per_s", result.LearnsPerSecond, "1/s", "durable learns through the gateway while archiving");
            Console.WriteLine(result.ControlPlaneProblem is null ? "registry, training job and audit chain: all back" : $"CONTROL PLANE: {result.ControlPlaneProblem}");
        }
        finally
        {
            backups.Delete(recursive: true);
        }
    }
}
