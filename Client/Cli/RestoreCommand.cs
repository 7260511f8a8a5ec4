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
/// <c>galaxy-cli restore --data-dir DIR [--to TIME | --end-of-backup] [--backup ID] [--replace] [--port P]</c>: a
/// point-in-time restore into a data folder, checked before it is handed back. <c>./galaxy restore</c> runs it on the
/// private server's folder (stopping the galaxy first and starting it again after).
/// </summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var dataDirectory = new Option<string>("--data-dir") { Description = "The data folder to restore into (new or empty, unless --replace)", Required = true };
        var to = new Option<string?>("--to") { Description = "Restore to this moment (e.g. '2026-12-01 12:00:03Z'): every transaction committed at or before it, none after" };
        var endOfBackup = new Option<bool>("--end-of-backup") { Description = "Restore only to the end of the base backup" };
        var backup = new Option<string?>("--backup") { Description = "The base backup to start from (default: the newest verified one that finished before the target)" };
        var replace = new Option<bool>("--replace") { Description = "The data folder exists: move it aside (to DIR.replaced-TIME) and restore in its place" };
        var port = new Option<int?>("--port") { Description = "The port the restored server listens on while it recovers (default: a free one)" };
        var keepRunning = new Option<bool>("--keep-running") { Description = "Leave the restored server running" };
        var command = new Command("restore", "Restore the galaxy's database from a base backup and the WAL archive, to the latest moment or a point in time.")
        {
            dataDirectory, to, endOfBackup, backup, replace, port, keepRunning,
        };
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var target = Target(result.GetValue(to), result.GetValue(endOfBackup));
            var configuration = OperatorConfiguration.Load();
            var store = new BackupStore(OperatorConfiguration.Backup(configuration));
            var request = new RestoreRequest
            {
                BackupId = result.GetValue(backup),
                Target = target,
                DataDirectory = Path.GetFullPath(result.GetValue(dataDirectory)!),
                ReplaceExisting = result.GetValue(replace),
                Port = result.GetValue(port) ?? FreePort(),
                ConnectionString = OperatorConfiguration.ConnectionString(configuration),
                KeepRunning = result.GetValue(keepRunning),
            };
            return await RunAsync(store, request, cancellationToken);
        }));
        return command;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static RecoveryTarget Target(string? to, bool endOfBackup)
    {
        if (to is not null && endOfBackup)
        {
            throw new OperationsException("Give --to or --end-of-backup, not both.");
        }

        if (to is null)
        {
            return endOfBackup ? RecoveryTarget.EndOfBackup : RecoveryTarget.Latest;
        }

        return DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? RecoveryTarget.At(time)
            : throw new OperationsException($"--to '{to}' is not a time (e.g. '2026-12-01 12:00:03Z'; without an offset it is UTC).");
    }

    private static async Task<int> RunAsync(BackupStore store, RestoreRequest request, CancellationToken cancellationToken)
    {
        var restorer = new Restorer(store, PostgresTools.Find(), TimeProvider.System);
        var backup = restorer.Choose(request);
        AnsiConsole.MarkupLine($"restoring backup [bold]{backup.Id}[/] (finished {backup.FinishedAt:u}) to [bold]{Markup.Escape(request.Target.ToString()!)}[/] into {Markup.Escape(request.DataDirectory)}");
        var started = DateTimeOffset.UtcNow;
        RestoreResult result = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask("restore", maxValue: 1);
                result = await restorer.RestoreAsync(
                    request with
                    {
                        BackupId = backup.Id,
                        Progress = (phase, fraction) =>
                        {
                            bar.Description = Markup.Escape(phase);
                            if (fraction is { } done)
                            {
                                bar.Value = done;
                            }
                        },
                    },
                    cancellationToken);
                bar.Value = 1;
            });
        var seconds = (DateTimeOffset.UtcNow - started).TotalSeconds;

        if (result.MovedAside is { } aside)
        {
            AnsiConsole.MarkupLine($"the data folder it replaced is kept at {Markup.Escape(aside)} (delete it when the restore is confirmed)");
        }

        AnsiConsole.MarkupLine(
            $"restored to {(result.RestoredTo is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss.ffffff zzz", CultureInfo.InvariantCulture) : "the end of the backup")} " +
            $"(the last transaction replayed), now on timeline {result.Timeline}: copy {result.CopySeconds:F1} s, WAL replay {result.RecoverySeconds:F1} s, {seconds:F1} s in all");
        AnsiConsole.MarkupLine($"  {Markup.Escape(result.Database.Summary)}");
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new { name = "restore.seconds", value = Math.Round(seconds, 3), unit = "s" }));
        if (!result.Database.AuditIntact)
        {
            AnsiConsole.MarkupLine("[red]the restored audit chain does not verify[/]");
            return 1;
        }

        return 0;
    }
}
