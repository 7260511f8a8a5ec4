using System.CommandLine;
using System.Globalization;
using Galaxy.Client;
using Galaxy.Contracts;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli models [--search TEXT]</c>: the registry's models with their latest version, its status and their
/// aliases, as a table. <c>galaxy-cli models NAME</c>: one model's versions, newest first, with status, shape, held-out
/// accuracy, lineage and aliases.
/// </summary>
internal static class ModelsCommand
{
    private const int Paging = 100;

    public static Command Create()
    {
        var session = new GatewaySession();
        var model = new Argument<string?>("model") { Description = "A model's name or id: list its versions", Arity = ArgumentArity.ZeroOrOne };
        var search = new Option<string?>("--search") { Description = "Only models whose name contains this" };
        var command = new Command("models", "The registry's models with their latest version, status and aliases, or one model's versions.") { model, search };
        session.AddTo(command);
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var client = await session.SignInAsync(result, cancellationToken);
            if (result.GetValue(model) is { } name)
            {
                await PrintVersionsAsync(client, name, cancellationToken);
            }
            else
            {
                await PrintModelsAsync(client, result.GetValue(search), cancellationToken);
            }

            return 0;
        }));
        return command;
    }

    private static async Task PrintModelsAsync(GalaxyClient client, string? search, CancellationToken cancellationToken)
    {
        var page = await client.SearchModelsAsync(search, limit: Paging, cancellationToken: cancellationToken);
        if (page.Items.Length == 0)
        {
            AnsiConsole.WriteLine(search is null ? "no models registered" : $"no model's name contains '{search}'");
            return;
        }

        var table = new Table().AddColumns("model", "latest", "status", "aliases", "tags", "updated");
        foreach (var item in page.Items)
        {
            table.AddRow(
                Markup.Escape(item.Name), item.LatestVersion?.ToString(CultureInfo.InvariantCulture) ?? "–", Status(item.LatestStatus),
                Markup.Escape(string.Join(", ", item.Aliases.OrderBy(alias => alias.Key, StringComparer.Ordinal).Select(alias => $"{alias.Key}→{alias.Value}"))),
                Markup.Escape(string.Join(", ", item.Tags.Select(tag => $"{tag.Key}:{tag.Value}"))), item.UpdatedAt.ToString("u", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        More(page.Items.Length, page.Total, "models");
    }

    private static async Task PrintVersionsAsync(GalaxyClient client, string name, CancellationToken cancellationToken)
    {
        var found = await client.GetModelAsync(name, cancellationToken);
        var versions = await client.ListVersionsAsync(found.Name, limit: Paging, cancellationToken: cancellationToken);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(found.Name)}[/] {Markup.Escape(found.Description)}");
        var table = new Table().AddColumns("version", "status", "shape", "held-out accuracy", "lineage", "aliases", "created by", "created");
        foreach (var version in versions.Items)
        {
            table.AddRow(
                version.Version.ToString(CultureInfo.InvariantCulture), Status(version.Status), $"{version.Inputs}-{version.Hidden}-{version.Outputs}",
                version.Metrics.TryGetValue("validation_accuracy", out var accuracy) ? accuracy.ToString("P2", CultureInfo.InvariantCulture) : "–",
                Markup.Escape(version.Lineage.Technique + (version.Lineage.ParentVersion is { } parent ? $" of {parent}" : "")),
                Markup.Escape(string.Join(", ", version.Aliases)), Markup.Escape(version.CreatedBy), version.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        More(versions.Items.Length, versions.Total, "versions");
    }

    private static string Status(VersionStatus? status) => status switch
    {
        null => "–",
        VersionStatus.Deployed => "[green]DEPLOYED[/]",
        VersionStatus.Approved => "[blue]APPROVED[/]",
        VersionStatus.Pending => "[yellow]PENDING[/]",
        { } other => $"[grey]{other.ToWireName()}[/]",
    };

    private static void More(int shown, long total, string what)
    {
        if (total > shown)
        {
            AnsiConsole.WriteLine($"the first {shown} of {total} {what} shown");
        }
    }
}
