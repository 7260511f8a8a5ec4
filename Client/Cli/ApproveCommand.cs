using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Galaxy.Contracts;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli approve</c>: the approval requests awaiting the CEO, as a table. <c>galaxy-cli approve ID --totp CODE
/// --comment TEXT [--reject]</c>: the CEO's decision on one, signed in (as <c>ceo</c> unless <c>--user</c> names another
/// account) with the second factor the gateway requires of a CEO; a deployment that waited on it goes on or stops. The list
/// is read as <c>lead</c> by default, so that it does not spend the CEO's current code.
/// </summary>
internal static class ApproveCommand
{
    public static Command Create()
    {
        var session = new GatewaySession();
        var approval = new Argument<string?>("approval") { Description = "The approval to decide (its id); none: list those pending", Arity = ArgumentArity.ZeroOrOne };
        var reject = new Option<bool>("--reject") { Description = "Reject instead of approving" };
        var comment = new Option<string?>("--comment") { Description = "Why, for the audit and the requester" };
        var command = new Command("approve", "List the approvals awaiting the CEO, or approve (or --reject) one as the CEO.") { approval, reject, comment };
        session.AddTo(command);
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var id = result.GetValue(approval);
            if (id is not null && !Guid.TryParse(id, out _))
            {
                AnsiConsole.MarkupLine($"[red]galaxy:[/] '{Markup.Escape(id)}' is not an approval's id (a GUID, as the list shows it).");
                return 1;
            }

            var client = await session.SignInAsync(result, cancellationToken, unnamedUser: id is null ? null : "ceo");
            if (id is null)
            {
                var pending = await client.ListApprovalsAsync(status: "PENDING", cancellationToken: cancellationToken);
                Print(pending);
                return 0;
            }

            var decided = await client.DecideApprovalAsync(Guid.Parse(id), approve: !result.GetValue(reject), result.GetValue(comment), cancellationToken);
            AnsiConsole.MarkupLine(
                $"{(decided.Status == "APPROVED" ? "[green]" : "[red]")}{decided.Status}[/] {Markup.Escape(decided.Model.Name)}:{decided.Version} by {Markup.Escape(decided.DecidedBy ?? "?")}" +
                (decided.DeploymentId is { } deployment ? $"; deployment {deployment} {(decided.Status == "APPROVED" ? "goes on" : "stops")}" : ""));
            return 0;
        }));
        return command;
    }

    private static void Print(PageResponse<ApprovalResponse> pending)
    {
        if (pending.Items.Length == 0)
        {
            AnsiConsole.WriteLine("no approval awaits the CEO");
            return;
        }

        var table = new Table().AddColumns("approval", "version", "deployment", "reason", "figures", "requested by", "at");
        foreach (var item in pending.Items)
        {
            table.AddRow(
                item.Id.ToString(), Markup.Escape($"{item.Model.Name}:{item.Version}"), item.DeploymentId?.ToString() ?? "–", Markup.Escape(item.Reason),
                Markup.Escape(Figures(item.Figures)), Markup.Escape(item.RequestedBy), item.RequestedAt.ToString("u", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        if (pending.Total > pending.Items.Length)
        {
            AnsiConsole.WriteLine($"the newest {pending.Items.Length} of {pending.Total} shown");
        }
    }

    /// <summary>The figures the request was made on (Guardian's check or the version's metrics), as name=value pairs.</summary>
    private static string Figures(JsonElement figures) =>
        figures.ValueKind == JsonValueKind.Object
            ? string.Join(", ", figures.EnumerateObject()
                .Where(property => property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False)
                .Select(property => $"{property.Name}={Format(property.Value)}"))
            : "";

    private static string Format(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("0.####", CultureInfo.InvariantCulture) : value.ToString();
}
