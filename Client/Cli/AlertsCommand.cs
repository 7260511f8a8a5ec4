using System.CommandLine;
using System.Globalization;
using Galaxy.Contracts;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli alerts [--all]</c>: the firing alerts (or every alert), newest first, as a table.
/// <c>galaxy-cli alerts acknowledge ID [--comment TEXT]</c>: a person takes one on, so that it stops escalating.
/// </summary>
internal static class AlertsCommand
{
    private const int Paging = 100;

    public static Command Create()
    {
        var session = new GatewaySession();
        var all = new Option<bool>("--all") { Description = "Resolved alerts too" };
        var alert = new Argument<string>("alert") { Description = "The alert's id, as the list shows it" };
        var comment = new Option<string?>("--comment") { Description = "What is being done about it" };
        var acknowledge = new Command("acknowledge", "Take an alert on: it stops escalating.") { alert, comment };
        session.AddTo(acknowledge);
        acknowledge.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            if (!Guid.TryParse(result.GetValue(alert), out var id))
            {
                AnsiConsole.MarkupLine($"[red]galaxy:[/] '{Markup.Escape(result.GetValue(alert)!)}' is not an alert's id (a GUID, as the list shows it).");
                return 1;
            }

            var client = await session.SignInAsync(result, cancellationToken);
            var acknowledged = await client.AcknowledgeAlertAsync(id, result.GetValue(comment), cancellationToken);
            AnsiConsole.MarkupLine(
                $"[green]acknowledged[/] {Markup.Escape(acknowledged.Summary)} by {Markup.Escape(acknowledged.AcknowledgedBy ?? "?")} at {acknowledged.AcknowledgedAt:u}");
            return 0;
        }));

        var command = new Command("alerts", "The firing alerts, newest first; acknowledge one.") { all, acknowledge };
        session.AddTo(command);
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var client = await session.SignInAsync(result, cancellationToken);
            var page = await client.ListAlertsAsync(state: result.GetValue(all) ? null : "firing", limit: Paging, cancellationToken: cancellationToken);
            Print(page, result.GetValue(all));
            return 0;
        }));
        return command;
    }

    private static void Print(AlertPage page, bool all)
    {
        if (page.Items.Length == 0)
        {
            AnsiConsole.WriteLine(all ? "no alerts" : "no alert is firing");
            return;
        }

        var table = new Table().AddColumns("alert", "severity", "state", "subject", "kind", "value", "threshold", "level", "fired", "acknowledged by");
        foreach (var item in page.Items)
        {
            table.AddRow(
                item.Id.ToString(), item.Severity == "critical" ? "[red]critical[/]" : "[yellow]warning[/]", item.State, Markup.Escape(item.Subject),
                Markup.Escape(item.Kind), item.Value.ToString("0.###", CultureInfo.InvariantCulture), item.Threshold.ToString("0.###", CultureInfo.InvariantCulture),
                item.Level.ToString(CultureInfo.InvariantCulture), item.FiredAt.ToString("u", CultureInfo.InvariantCulture),
                Markup.Escape(item.AcknowledgedBy ?? "–"));
        }

        AnsiConsole.Write(table);
        if (page.Total > page.Items.Length)
        {
            AnsiConsole.WriteLine($"the newest {page.Items.Length} of {page.Total} shown");
        }
    }
}
