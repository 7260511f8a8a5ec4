using System.CommandLine;
using Galaxy.Operations.Backup;
using Microsoft.Extensions.Configuration;
using Galaxy.Operations.Status;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli status</c>: the database, the schema, the silos in the membership table, the data, WAL archiving, the
/// newest backup and whether the gateway is ready, in one screen.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "The galaxy at a glance: PostgreSQL, schema, silos, data, WAL archiving, backups and the gateway.");
        command.SetAction((_, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var configuration = OperatorConfiguration.Load();
            var clusterId = configuration["Galaxy:Cluster:ClusterId"] ?? "galaxy";
            var serviceId = configuration["Galaxy:Cluster:ServiceId"] ?? "galaxy";
            var status = await GalaxyStatus.ReadAsync(OperatorConfiguration.ConnectionString(configuration), clusterId, serviceId, cancellationToken);

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("PostgreSQL", $"{status.ServerVersion}, database {BackupCommand.Size(status.DatabaseBytes)}, schema {status.SchemaVersion}");
            grid.AddRow("silos", status.Silos.Count == 0 ? "none registered" : string.Join("\n", status.Silos.Select(silo =>
                $"{Markup.Escape(silo.Name)} {silo.Address} [{(silo.Status == "Active" ? "green" : "grey")}]{silo.Status}[/] since {silo.Started:u}, alive {silo.LastAlive:HH:mm:ss}")));
            grid.AddRow("state rows", status.StateRows.Count == 0 ? "none" : string.Join(", ", status.StateRows.Select(kind => $"{Markup.Escape(kind.Key)} {kind.Value:N0}")));
            grid.AddRow("registry", $"{status.Models:N0} models, {status.Datasets:N0} datasets");
            grid.AddRow("training jobs", status.TrainingJobs.Count == 0 ? "none" : string.Join(", ", status.TrainingJobs.Select(job => $"{job.Key} {job.Value:N0}")));
            grid.AddRow("audit", $"{status.AuditRows:N0} rows");
            var archiver = status.Archiver;
            grid.AddRow("WAL archiving", archiver.Mode == "off"
                ? "[yellow]off[/] (./galaxy backup turns it on)"
                : $"{archiver.Archived:N0} segments, last {archiver.LastArchived ?? "none"} at {archiver.LastArchivedAt:u}" +
                  (archiver.Failed > 0 ? $"; [red]{archiver.Failed} failures[/], last {archiver.LastFailed} at {archiver.LastFailedAt:u}" : ""));
            grid.AddRow("backups", Backups(configuration));
            grid.AddRow("gateway", await GatewayAsync(cancellationToken));
            AnsiConsole.Write(grid);
            return 0;
        }));
        return command;
    }

    private static string Backups(IConfiguration configuration)
    {
        var options = new BackupOptions();
        configuration.GetSection(BackupOptions.Section).Bind(options);
        if (options.Directory.Length == 0)
        {
            return $"none configured ({BackupOptions.Section}:Directory)";
        }

        var backups = new BackupStore(options).List();
        return backups.Count == 0
            ? $"none in {Markup.Escape(options.Directory)}"
            : $"{backups.Count} in {Markup.Escape(options.Directory)}, newest {backups[^1].Id} " +
              (backups[^1].Verified ? "[green]verified[/]" : "[red]not verified[/]");
    }

    private static async Task<string> GatewayAsync(CancellationToken cancellationToken)
    {
        var url = Environment.GetEnvironmentVariable("GALAXY_GATEWAY_URL") ?? "http://127.0.0.1:5080";
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            var response = await http.GetAsync("/health/ready", cancellationToken);
            return response.IsSuccessStatusCode ? $"[green]ready[/] at {url}" : $"[red]not ready[/] at {url} ({(int)response.StatusCode})";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return $"not answering at {url}";
        }
    }
}
