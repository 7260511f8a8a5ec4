using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Galaxy.Persistence;
using Galaxy.Persistence.Audit;
using Npgsql;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli audit verify|checkpoint|record-restore|archive</c>: the audit chain checked by this program, not by the
/// database (every hash recomputed, every witnessed row held to its signed checkpoint), or an archive file on its own;
/// a checkpoint signed on demand; a restore from backup recorded as a signed event; months moved to archive files
/// (as the schema's owner). The key and the witness default to those <c>./galaxy up</c> uses.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var witness = new Option<string>("--witness")
        {
            Description = "The witness folder of signed checkpoints",
            DefaultValueFactory = _ => Path.Combine(StateDirectory(), "audit-witness"),
        };
        var key = new Option<string>("--key")
        {
            Description = "The checkpoint signing key (PEM); its public half is trusted",
            DefaultValueFactory = _ => Path.Combine(StateDirectory(), "audit-signing-key.pem"),
        };
        var trusted = new Option<string[]>("--trusted-key") { Description = "More public keys (PEM) to trust: keys retired by a rotation" };

        var archiveFile = new Option<string?>("--archive") { Description = "Verify this archive file on its own instead of the chain in the database", HelpName = "FILE" };
        var verify = new Command("verify", "Recompute the chain here and hold it to the witnessed checkpoints; exit 1 if it does not verify.") { archiveFile };
        var checkpoint = new Command("checkpoint", "Sign a checkpoint of the rows appended since the last one and write it to the witness.");
        var label = new Option<string>("--label") { Description = "What was restored (the backup's name and time)", Required = true };
        var restore = new Command("record-restore", "Record, signed, that the database was restored from a backup to its present head.") { label };
        var before = new Option<DateOnly>("--before")
        {
            Description = "Archive every month before this one",
            HelpName = "YYYY-MM",
            Required = true,
            CustomParser = ParseMonth,
        };
        var output = new Option<string>("--out") { Description = "The folder the archive files are written to", HelpName = "DIR", Required = true };
        var archive = new Command(
            "archive", "Write each month before --before to an archive file with its checkpoints, verify it, then drop it (as the schema's owner).")
            { before, output };
        foreach (var command in new[] { verify, checkpoint, restore, archive })
        {
            command.Options.Add(witness);
            command.Options.Add(key);
            command.Options.Add(trusted);
        }

        verify.SetAction((result, cancellationToken) => result.GetValue(archiveFile) is { } file
            ? VerifyArchiveAsync(file, Options(result, witness, key, trusted, create: false), cancellationToken)
            : VerifyAsync(Options(result, witness, key, trusted, create: false), cancellationToken));
        checkpoint.SetAction((result, cancellationToken) => CheckpointAsync(Options(result, witness, key, trusted, create: true), null, cancellationToken));
        restore.SetAction((result, cancellationToken) =>
            CheckpointAsync(Options(result, witness, key, trusted, create: false), result.GetValue(label), cancellationToken));
        archive.SetAction((result, cancellationToken) => ArchiveAsync(
            Options(result, witness, key, trusted, create: false), result.GetValue(before), result.GetValue(output)!, cancellationToken));
        return new Command("audit", "The audit chain's tamper evidence and retention.") { verify, checkpoint, restore, archive };
    }

    private static DateOnly ParseMonth(ArgumentResult argument)
    {
        var text = argument.Tokens.Single().Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return month;
        }

        argument.AddError($"--before {text}: expected a month, YYYY-MM.");
        return default;
    }

    private static AuditOptions Options(ParseResult result, Option<string> witness, Option<string> key, Option<string[]> trusted, bool create) => new()
    {
        WitnessDirectory = result.GetValue(witness),
        SigningKeyFile = result.GetValue(key),
        CreateSigningKey = create,
        TrustedKeyFiles = [.. result.GetValue(trusted) ?? []],
    };

    private static async Task<int> VerifyAsync(AuditOptions options, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(ConnectionString());
        var folder = new FolderWitness(options.WitnessDirectory!);
        var problems = new List<string>();
        var checkpoints = folder.ReadAll(problems);
        var report = await AnsiConsole.Status().StartAsync("recomputing the audit chain", async _ =>
            await new AuditVerifier(database, options.LoadTrustedKeys()).VerifyAsync(checkpoints, cancellationToken));

        Print(report, problems, "audit chain");
        AnsiConsole.MarkupLineInterpolated(
            $"  witnessed through row {report.WitnessedThrough:N0} by {(report.LastCheckpoint?.ToString() ?? "no checkpoint yet")}; {report.UnwitnessedRows:N0} newer rows not yet witnessed");
        foreach (var restore in report.Restores)
        {
            AnsiConsole.MarkupLineInterpolated($"  restored from a backup: {restore}");
        }

        if (report.Archives.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"  rows 1 to {report.Archives[^1].Seq:N0} are archived, last by {report.Archives[^1]}: verify the files with --archive");
        }

        if (checkpoints.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]no checkpoints in {options.WitnessDirectory}[/]: a rewrite of the whole chain would go unnoticed");
        }

        return report.Intact && problems.Count == 0 ? 0 : 1;
    }

    private static async Task<int> VerifyArchiveAsync(string file, AuditOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var report = await AnsiConsole.Status().StartAsync($"recomputing {Path.GetFileName(file)}", async _ =>
                await AuditArchiveVerifier.VerifyAsync(file, options.LoadTrustedKeys(), cancellationToken));
            Print(report, [], $"archive {Path.GetFileName(file)}");
            AnsiConsole.MarkupLineInterpolated($"  held to the checkpoints it carries, the last {(report.LastCheckpoint?.ToString() ?? "none")}");
            return report.Intact ? 0 : 1;
        }
        catch (InvalidDataException notAnArchive)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{file} is not an audit archive[/]: {notAnArchive.Message}");
            return 1;
        }
    }

    /// <summary>What is wrong (every finding, the first broken row and the checkpoint it broke), or that <paramref name="what"/> is intact.</summary>
    private static void Print(AuditReport report, IReadOnlyList<string> problems, string what)
    {
        foreach (var problem in problems.Concat(report.Findings))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {problem}");
        }

        if (report.BrokenSeq is { } broken)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{what} broken at row {broken:N0}[/]: {report.Reason}");
            if (report.BrokenCheckpoint is { } at)
            {
                AnsiConsole.MarkupLineInterpolated($"  it breaks {at}");
            }

            AnsiConsole.MarkupLineInterpolated($"  {report.RowsChecked:N0} rows before it are intact");
        }
        else if (report.Intact && problems.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{what} intact[/]: {report.RowsChecked:N0} rows");
        }
    }

    private static async Task<int> ArchiveAsync(AuditOptions options, DateOnly before, string directory, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(ConnectionString());
        using var key = AuditSigningKey.Load(options.SigningKeyFile!, options.CreateSigningKey);
        var folder = new FolderWitness(options.WitnessDirectory!);
        var archiver = new AuditArchiver(database, new AuditCheckpointWriter(database, key, [folder], folder, TimeProvider.System), options.LoadTrustedKeys());
        try
        {
            var archived = await AnsiConsole.Status().StartAsync($"archiving the months before {before:yyyy-MM}", async _ =>
                await archiver.ArchiveAsync(before, directory, cancellationToken));
            foreach (var partition in archived)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[green]archived[/] {partition.Partition} (rows {partition.FromSeq:N0} to {partition.ToSeq:N0}) to {partition.File}, sha256 {partition.Sha256}; recorded as {partition.Event}");
            }

            if (archived.Count == 0)
            {
                AnsiConsole.WriteLine($"no month before {before:yyyy-MM} to archive (the month still appended to stays)");
            }

            return 0;
        }
        catch (AuditArchiveRefusedException refused)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{refused.Message}[/]");
            return 1;
        }
    }

    private static async Task<int> CheckpointAsync(AuditOptions options, string? restoreLabel, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(ConnectionString());
        using var key = AuditSigningKey.Load(options.SigningKeyFile!, options.CreateSigningKey);
        var folder = new FolderWitness(options.WitnessDirectory!);
        var writer = new AuditCheckpointWriter(database, key, [folder], folder, TimeProvider.System);
        try
        {
            var written = restoreLabel is null
                ? await writer.CheckpointAsync(cancellationToken)
                : await writer.RecordRestoreAsync(restoreLabel, new AuditVerifier(database, options.LoadTrustedKeys()), cancellationToken);
            if (written is null)
            {
                AnsiConsole.WriteLine("nothing appended since the last checkpoint");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[green]signed[/] {written} with key {key.Id}, witnessed in {folder.Directory}");
            }

            return 0;
        }
        catch (AuditChainBrokenException broken)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{broken.Message}[/]");
            return 1;
        }
    }

    private static string StateDirectory() => Environment.GetEnvironmentVariable("GALAXY_STATE_DIR") ?? ".galaxy";

    private static string ConnectionString() =>
        Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable)
        ?? throw new InvalidOperationException($"{GalaxyConnection.EnvironmentVariable} is not set (./galaxy audit sets it).");
}
