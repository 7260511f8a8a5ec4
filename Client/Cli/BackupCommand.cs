using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Galaxy.Operations;
using Galaxy.Operations.Backup;
using Galaxy.Operations.Postgres;
using Galaxy.Operations.Restore;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli backup</c>: a verified base backup of the galaxy's PostgreSQL with continuous WAL archiving behind it,
/// then retention. <c>backup list</c>, <c>backup verify [ID] [--restore]</c> and <c>backup prune</c> look after the
/// backups already taken (<c>Galaxy:Backup</c> says where they live and how long they stay).
/// </summary>
internal static class BackupCommand
{
    /// <summary>The exit code that asks <c>./galaxy backup</c> to restart the private server (archive_mode changed) and run again.</summary>
    public const int RestartServer = 75;

    public static Command Create()
    {
        var trial = new Option<bool>("--trial-restore") { Description = "Then restore it into a scratch folder and check the restored database" };
        var command = new Command("backup", "Take a verified base backup (WAL archiving is set up first), then apply retention.")
        {
            trial, List(), Verify(), Prune(),
        };
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(() => TakeAsync(result.GetValue(trial), cancellationToken)));
        return command;
    }

    private static async Task<int> TakeAsync(bool trialRestore, CancellationToken cancellationToken)
    {
        var configuration = OperatorConfiguration.Load();
        var options = OperatorConfiguration.Backup(configuration);
        var connectionString = OperatorConfiguration.ConnectionString(configuration);
        var tools = PostgresTools.Find();
        var store = new BackupStore(options);
        var archive = new WalArchive(options);

        var facts = await ServerFacts.ReadAsync(connectionString, cancellationToken);
        Directory.CreateDirectory(options.ArchiveDirectory);
        if (await archive.EnsureAsync(connectionString, facts, cancellationToken) == ArchivingState.NeedsRestart)
        {
            AnsiConsole.MarkupLine(
                $"WAL archiving into [bold]{Markup.Escape(options.ArchiveDirectoryForServer)}[/] is set up (archive_mode = on); it starts when the server restarts. " +
                "Restart it, then run the backup again.");
            return RestartServer;
        }

        await archive.SwitchAndWaitAsync(connectionString, cancellationToken);
        AnsiConsole.MarkupLine($"WAL archiving into [bold]{Markup.Escape(options.ArchiveDirectoryForServer)}[/]: working (archive_timeout {options.ArchiveTimeoutSeconds} s)");

        BackupRecord record = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask($"base backup of PostgreSQL {facts.Version}", maxValue: 1);
                record = await new BaseBackup(store, tools, TimeProvider.System).TakeAsync(
                    connectionString, facts,
                    (done, total) =>
                    {
                        bar.MaxValue = Math.Max(1, total);
                        bar.Value = Math.Min(done, total);
                    },
                    cancellationToken);
                bar.Value = bar.MaxValue;
            });

        // The backup's last WAL segment is archived before the backup counts as restorable.
        await archive.SwitchAndWaitAsync(connectionString, cancellationToken);
        var verification = await new BackupVerifier(store, tools, TimeProvider.System).VerifyAsync(record, cancellationToken);
        Show(verification);
        var seconds = (record.FinishedAt - record.StartedAt).TotalSeconds;
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new { name = "backup.seconds", value = Math.Round(seconds, 3), unit = "s" }));
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new { name = "backup.bytes", value = record.Bytes, unit = "B" }));

        if (trialRestore && await TrialAsync(store, tools, record.Id, connectionString, cancellationToken) != 0)
        {
            return 1;
        }

        PruneNow(store, dryRun: false);
        return verification.Passed ? 0 : 1;
    }

    private static Command List()
    {
        var command = new Command("list", "The backups, their verification, and how far the WAL archive runs from each.");
        command.SetAction((_, _) => OperatorCommand.Run(() =>
        {
            var options = OperatorConfiguration.Backup(OperatorConfiguration.Load());
            var store = new BackupStore(options);
            var archive = new WalArchive(options);
            var table = new Table().AddColumns("backup", "finished (UTC)", "took", "size", "verified", "trial restore", "archive runs to");
            foreach (var backup in store.List())
            {
                var continuity = archive.Continuity(WalSegmentName.Parse(backup.StartWalFile, backup.WalSegmentBytes));
                table.AddRow(
                    backup.Id, backup.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    $"{(backup.FinishedAt - backup.StartedAt).TotalSeconds:F1} s", Size(backup.Bytes),
                    backup.VerificationFailure is { } failure ? $"[red]FAILED[/] {Markup.Escape(failure[..Math.Min(60, failure.Length)])}"
                    : backup.VerifiedAt is { } at ? $"[green]ok[/] {at.UtcDateTime:MM-dd HH:mm}" : "no",
                    backup.TrialRestoredAt is { } trialAt ? $"{trialAt.UtcDateTime:MM-dd HH:mm}" : "-",
                    (continuity.Last?.ToString() ?? "[red]nothing archived[/]") + (continuity.GapAfter ? " [red](gap after)[/]" : ""));
            }

            AnsiConsole.Write(table);
            foreach (var abandoned in store.Abandoned())
            {
                AnsiConsole.MarkupLine($"[yellow]incomplete:[/] {Markup.Escape(abandoned)} (interrupted or refused; ./galaxy backup prune removes it)");
            }

            var segments = Directory.Exists(options.ArchiveDirectory) ? new DirectoryInfo(options.ArchiveDirectory).GetFiles() : [];
            AnsiConsole.MarkupLine(
                $"WAL archive {Markup.Escape(options.ArchiveDirectory)}: {segments.Length:N0} files, {Size(segments.Sum(file => file.Length))}" +
                (segments.Length > 0 ? $", newest written {segments.Max(file => file.LastWriteTimeUtc):yyyy-MM-dd HH:mm:ss} UTC" : ""));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Verify()
    {
        var id = new Argument<string?>("id") { Description = "The backup (default: the newest)", Arity = ArgumentArity.ZeroOrOne };
        var restore = new Option<bool>("--restore") { Description = "Also restore it into a scratch folder through the whole archive and check the database" };
        var command = new Command("verify", "Check a backup's files against their SHA-256 manifest (pg_verifybackup) and the archive's continuity; --restore proves it restores.")
        {
            id, restore,
        };
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var configuration = OperatorConfiguration.Load();
            var store = new BackupStore(OperatorConfiguration.Backup(configuration));
            var tools = PostgresTools.Find();
            var backup = result.GetValue(id) is { } chosen ? store.Get(chosen)
                : store.List().LastOrDefault() ?? throw new OperationsException($"There are no backups in {store.Options.BaseDirectory}.");
            var verification = await new BackupVerifier(store, tools, TimeProvider.System).VerifyAsync(backup, cancellationToken);
            Show(verification);
            if (!verification.Passed)
            {
                return 1;
            }

            return result.GetValue(restore)
                ? await TrialAsync(store, tools, backup.Id, OperatorConfiguration.ConnectionString(configuration), cancellationToken)
                : 0;
        }));
        return command;
    }

    private static Command Prune()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say what would be deleted" };
        var command = new Command("prune", "Delete backups past Galaxy:Backup:RetentionDays or RetentionCount, and the archived WAL only they needed.") { dryRun };
        command.SetAction((result, _) => OperatorCommand.Run(() =>
        {
            PruneNow(new BackupStore(OperatorConfiguration.Backup(OperatorConfiguration.Load())), result.GetValue(dryRun));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static async Task<int> TrialAsync(BackupStore store, PostgresTools tools, string id, string connectionString, CancellationToken cancellationToken)
    {
        RestoreResult result = null!;
        await AnsiConsole.Status().StartAsync($"trial restore of {id}", async context =>
        {
            result = await new TrialRestore(store, tools, TimeProvider.System).RunAsync(
                id, connectionString, store.Options.ScratchDirectory.Length > 0 ? store.Options.ScratchDirectory : null,
                (phase, _) => context.Status(Markup.Escape($"trial restore of {id}: {phase}")), cancellationToken);
        });
        AnsiConsole.MarkupLine(
            $"trial restore of {id}: copied in {result.CopySeconds:F1} s, WAL replayed to {result.RestoredTo?.ToString("u", CultureInfo.InvariantCulture) ?? "the end of the archive"} in {result.RecoverySeconds:F1} s");
        AnsiConsole.MarkupLine($"  {Markup.Escape(result.Database.Summary)}");
        if (!result.Database.AuditIntact)
        {
            AnsiConsole.MarkupLine("[red]the restored audit chain does not verify[/]");
            return 1;
        }

        AnsiConsole.MarkupLine("[green]trial restore passed[/]");
        return 0;
    }

    private static void PruneNow(BackupStore store, bool dryRun)
    {
        var backups = store.List();
        var expired = RetentionPolicy.Expired(backups, store.Options, DateTimeOffset.UtcNow);
        var kept = backups.Except(expired).ToList();
        var wal = RetentionPolicy.UnneededWal(kept, store.ArchiveDirectory);
        var verb = dryRun ? "would delete" : "deleted";
        foreach (var backup in expired)
        {
            if (!dryRun)
            {
                store.Delete(backup.Id);
            }

            AnsiConsole.MarkupLine($"retention: {verb} backup {backup.Id} (finished {backup.FinishedAt:u})");
        }

        foreach (var abandoned in store.Abandoned())
        {
            if (!dryRun)
            {
                Directory.Delete(abandoned, recursive: true);
            }

            AnsiConsole.MarkupLine($"retention: {verb} the incomplete backup {Markup.Escape(Path.GetFileName(abandoned))}");
        }

        if (!dryRun)
        {
            foreach (var file in wal)
            {
                File.Delete(file);
            }
        }

        AnsiConsole.MarkupLine(
            $"retention ({store.Options.RetentionCount} backups, {store.Options.RetentionDays} days): {kept.Count} kept, {expired.Count} {verb}, " +
            $"{wal.Count} archived WAL files {verb}");
    }

    private static void Show(BackupVerification verification)
    {
        var backup = verification.Record;
        AnsiConsole.MarkupLine(
            $"backup [bold]{backup.Id}[/]: {Size(backup.Bytes)} in {backup.Files:N0} files, WAL {backup.StartLsn} … {backup.EndLsn} (timeline {backup.Timeline})");
        AnsiConsole.MarkupLine(backup.VerificationFailure is { } failure
            ? $"  [red]files: FAILED[/] {Markup.Escape(failure)}"
            : "  files: [green]every SHA-256 matches the manifest[/] (pg_verifybackup), and its WAL parses");
        AnsiConsole.MarkupLine(verification.ArchiveProblem is { } problem
            ? $"  [red]archive: {Markup.Escape(problem)}[/]"
            : $"  archive: [green]unbroken[/] from {verification.Archive.First} to {verification.Archive.Last?.ToString() ?? "[red]nothing[/]"}");
    }

    internal static string Size(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):F2} GiB" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F1} MiB" : $"{bytes / 1024.0:F0} KiB";
}
