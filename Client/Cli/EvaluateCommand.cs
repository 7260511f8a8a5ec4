using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Galaxy.Client;
using Galaxy.Contracts;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli evaluate NAME[:VERSION|@ALIAS] FILE.csv --label COLUMN</c>: registers the file if it is new, scores the
/// version on it (a bare name means the latest version) and prints accuracy, per-class precision and recall, the
/// confusion matrix and a <c>RESULT</c> line.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var session = new GatewaySession();
        var version = new Argument<string>("version") { Description = "NAME, NAME:VERSION or NAME@ALIAS" };
        var file = new Argument<string>("file") { Description = "A labelled CSV file with the model's features" };
        var label = new Option<string>("--label") { Description = "Its label column", Required = true };
        var command = new Command("evaluate", "Score a version on a labelled CSV file; the result is recorded on the version.")
        {
            version, file, label,
        };
        session.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var client = await session.SignInAsync(result, cancellationToken);
            return await RunAsync(client, result.GetValue(version)!, result.GetValue(file)!, result.GetValue(label)!, cancellationToken);
        });
        return command;
    }

    /// <summary><c>digits</c> → (digits, latest); <c>digits:3</c> → (digits, 3); <c>digits@champion</c> → (digits, champion).</summary>
    public static (string Model, string Version) ParseReference(string reference)
    {
        var at = reference.IndexOfAny([':', '@']);
        return at < 0 ? (reference, "latest") : (reference[..at], reference[(at + 1)..]);
    }

    private static async Task<int> RunAsync(GalaxyClient client, string reference, string path, string labelColumn, CancellationToken cancellationToken)
    {
        var (model, version) = ParseReference(reference);
        var dataset = await DatasetFiles.RegisterAsync(client, path, labelColumn, cancellationToken);
        var evaluation = await client.EvaluateAsync(model, version, dataset.Id.ToString(), cancellationToken);

        AnsiConsole.MarkupLine(
            $"[bold]{Markup.Escape(evaluation.Model.Name)}:{evaluation.Version}[/] on [bold]{Markup.Escape(evaluation.Dataset.Name)}[/] " +
            $"({evaluation.Rows:N0} rows): accuracy [bold]{evaluation.Accuracy.ToString("P2", CultureInfo.InvariantCulture)}[/]");
        var classes = new Table().AddColumns("class", "precision", "recall", "rows");
        foreach (var score in evaluation.PerClass)
        {
            classes.AddRow(Markup.Escape(score.Class), score.Precision.ToString("P1", CultureInfo.InvariantCulture),
                score.Recall.ToString("P1", CultureInfo.InvariantCulture), score.Support.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(classes);
        var confusion = new Table().Title("confusion (rows: actual, columns: predicted)").AddColumn("");
        foreach (var score in evaluation.PerClass)
        {
            confusion.AddColumn(Markup.Escape(score.Class));
        }

        for (var actual = 0; actual < evaluation.Confusion.Length; actual++)
        {
            confusion.AddRow([Markup.Escape(evaluation.PerClass[actual].Class), .. evaluation.Confusion[actual].Select(n => n.ToString(CultureInfo.InvariantCulture))]);
        }

        AnsiConsole.Write(confusion);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new { name = "evaluate.accuracy", value = Math.Round(evaluation.Accuracy, 6), unit = "fraction" }));
        return 0;
    }
}
