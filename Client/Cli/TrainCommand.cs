using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Galaxy.Client;
using Galaxy.Contracts;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli train --model NAME --dataset FILE.csv --label COLUMN</c>: creates the model if it is new, registers the
/// file if it is new, trains the default recipe (or the options' changes to it) with a progress bar, and prints the
/// version it registered.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var session = new GatewaySession();
        var model = new Option<string>("--model") { Description = "The model's name (created when new)", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "A CSV file with a header row", Required = true };
        var label = new Option<string>("--label") { Description = "Its label column; every other column is a feature", Required = true };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden units (default 128)" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default 200)" };
        var command = new Command("train", "Train a model on a CSV file with the default recipe; prints the PENDING version.")
        {
            model, dataset, label, hidden, epochs,
        };
        session.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var client = await session.SignInAsync(result, cancellationToken);
            return await RunAsync(
                client, result.GetValue(model)!, result.GetValue(dataset)!, result.GetValue(label)!, result.GetValue(hidden), result.GetValue(epochs),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        GalaxyClient client, string modelName, string path, string labelColumn, int? hidden, int? epochs, CancellationToken cancellationToken)
    {
        var model = await EnsureModelAsync(client, modelName, cancellationToken);
        var dataset = await DatasetFiles.RegisterAsync(client, path, labelColumn, cancellationToken);
        AnsiConsole.MarkupLine($"dataset [bold]{Markup.Escape(dataset.Name)}[/]: {dataset.Rows:N0} rows × {dataset.FeatureNames.Length} features, {dataset.ClassCounts.Count} classes (sha256 {dataset.Sha256[..12]}…)");

        var job = await client.StartTrainingAsync(
            new TrainingJobSpec(model.Name, dataset.Id.ToString(), labelColumn, hidden, Epochs: epochs), cancellationToken);
        AnsiConsole.MarkupLine($"job [bold]{job.Id}[/]: {job.Recipe.Candidates} candidates of {dataset.FeatureNames.Length}-{job.Recipe.Hidden}-{dataset.ClassCounts.Count}, {job.Recipe.Epochs} epochs");
        job = await FollowAsync(client, job, cancellationToken);

        if (job.Status != "SUCCEEDED")
        {
            AnsiConsole.MarkupLine($"[red]job {job.Status.ToLowerInvariant()}[/]{(job.Error is null ? "" : ": " + Markup.Escape(job.Error))}");
            return 1;
        }

        var version = await client.GetVersionAsync(model.Name, job.Version!.Value.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var accuracy = version.Metrics["validation_accuracy"];
        var table = new Table().AddColumns("version", "status", "held-out accuracy", "candidates", "wall", "device", "cost");
        table.AddRow(
            $"{Markup.Escape(model.Name)}:{version.Version}", version.Status.ToWireName(), accuracy.ToString("P2", CultureInfo.InvariantCulture),
            job.Recipe.Candidates.ToString(CultureInfo.InvariantCulture), $"{(job.EndedAt - job.StartedAt)!.Value.TotalSeconds:F1} s",
            $"{job.DeviceSeconds:F1} s", $"${job.CostUsd:F4}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            $"held out: the last {job.Recipe.ValidationFraction:P0} of each class's rows of {Markup.Escape(dataset.Name)}, never trained on");
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new { name = "train.validation_accuracy", value = Math.Round(accuracy, 6), unit = "fraction" }));
        return 0;
    }

    private static async Task<ModelResponse> EnsureModelAsync(GalaxyClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetModelAsync(name, cancellationToken);
        }
        catch (GalaxyNotFoundException)
        {
            try
            {
                return await client.CreateModelAsync(name, cancellationToken: cancellationToken);
            }
            catch (GalaxyApiException taken) when (taken.Code == "model-exists")
            {
                return await client.GetModelAsync(name, cancellationToken);
            }
        }
    }

    /// <summary>A progress bar fed by the job's event stream, picked up again if the stream breaks; the finished job.</summary>
    private static async Task<TrainingJobResponse> FollowAsync(GalaxyClient client, TrainingJobResponse job, CancellationToken cancellationToken)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask("queued", maxValue: 1.0);
                while (!job.IsFinished)
                {
                    try
                    {
                        await foreach (var step in client.FollowTrainingJobAsync(job.Id, cancellationToken))
                        {
                            bar.Value = step.Progress;
                            bar.Description = step.BestValidationAccuracy is { } best
                                ? $"epoch {step.EpochsDone}/{step.Epochs}, best held-out {best:P2}"
                                : step.Status.ToLowerInvariant();
                            job = step.Job ?? job;
                        }
                    }
                    catch (Exception broken) when (broken is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }

                    job = await client.GetTrainingJobAsync(job.Id, cancellationToken);
                }

                bar.Value = job.Progress;
            });
        return job;
    }
}
