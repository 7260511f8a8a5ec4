using System.CommandLine;
using System.Globalization;
using Galaxy.Client;
using Galaxy.Contracts;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli deploy --model NAME [--version V] [--labscapes 1 2] [--steps 10 50 100] [--interval SECONDS]</c>: deploys
/// a version under a canary plan and follows it live, the canary's share as a progress bar, until it is promoted (exit
/// 0), rolled back, rejected or failed (exit 1), or waits for the CEO's approval (exit 2, with the approval to decide).
/// </summary>
internal static class DeployCommand
{
    public const int AwaitingApproval = 2;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var session = new GatewaySession();
        var model = new Option<string>("--model") { Description = "The model's name or id", Required = true };
        var version = new Option<string>("--version") { Description = "A version number, latest or an alias", DefaultValueFactory = _ => "latest" };
        var labscapes = new Option<int[]>("--labscapes") { Description = "The labscapes to deploy to (default: all)", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int[]>("--steps")
        {
            Description = "The canary's shares of the units in percent, ending at 100 (default: the gateway's plan; 100 alone: at once)",
            AllowMultipleArgumentsPerToken = true,
        };
        var interval = new Option<int?>("--interval") { Description = "Seconds between the canary's analyses (default: the gateway's plan)" };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit", DefaultValueFactory = _ => "deployed with galaxy-cli" };
        var command = new Command("deploy", "Deploy a version under a canary plan and follow it until it is promoted, rolled back or awaits approval.")
        {
            model, version, labscapes, steps, interval, reason,
        };
        session.AddTo(command);
        command.SetAction((result, cancellationToken) => OperatorCommand.Run(async () =>
        {
            var client = await session.SignInAsync(result, cancellationToken);
            var shares = result.GetValue(steps) is { Length: > 0 } given ? given : null;
            var seconds = result.GetValue(interval);
            var plan = shares is null && seconds is null ? null : new CanarySpec(Steps: shares, IntervalSeconds: seconds);
            var started = await client.DeployAsync(
                result.GetValue(model)!, result.GetValue(version)!, result.GetValue(labscapes) is { Length: > 0 } some ? some : null, plan,
                result.GetValue(reason), cancellationToken);
            AnsiConsole.MarkupLine(
                $"deployment [bold]{started.Id}[/]: {Markup.Escape(started.Model.Name)}:{started.Version} to {Labscapes(started.Labscapes)}, steps {string.Join(" → ", started.Plan.Steps.Select(step => step + "%"))}, an analysis every {started.Plan.IntervalSeconds} s");
            var finished = await FollowAsync(client, started, cancellationToken);
            return Report(finished);
        }));
        return command;
    }

    /// <summary>Polls the deployment, its canary share as the bar, until it has finished or awaits approval.</summary>
    private static async Task<DeploymentResponse> FollowAsync(GalaxyClient client, DeploymentResponse deployment, CancellationToken cancellationToken)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask(Describe(deployment), maxValue: 100);
                while (!deployment.IsFinished && deployment.Status != "AWAITING_APPROVAL")
                {
                    await Task.Delay(Poll, cancellationToken);
                    deployment = await client.GetDeploymentAsync(deployment.Id, cancellationToken);
                    bar.Value = deployment.CanaryPercent;
                    bar.Description = Describe(deployment);
                }

                bar.Value = deployment.Status == "SUCCEEDED" ? 100 : deployment.CanaryPercent;
                bar.StopTask();
            });
        return deployment;
    }

    private static string Describe(DeploymentResponse deployment) =>
        $"{deployment.Status.ToLowerInvariant().Replace('_', ' ')}, canary at {deployment.CanaryPercent}%" +
        (deployment.Analyses.Length > 0 ? $", last analysis {(deployment.Analyses[^1].Passed ? "passed" : "failed")}" : "");

    /// <summary>The analyses as a table, the outcome in a line; the exit code.</summary>
    private static int Report(DeploymentResponse deployment)
    {
        if (deployment.Analyses.Length > 0)
        {
            var table = new Table().AddColumns("step", "canary: requests", "errors", "p95 ms", "accuracy", "stable: requests", "errors", "p95 ms", "accuracy", "verdict");
            foreach (var analysis in deployment.Analyses)
            {
                string[] cells =
                [
                    $"{analysis.StepPercent}%", .. Window(analysis.Canary), .. Window(analysis.Stable),
                    (analysis.Passed ? "[green]" : "[red]") + Markup.Escape(analysis.Verdict) + "[/]",
                ];
                table.AddRow(cells);
            }

            AnsiConsole.Write(table);
        }

        var outcome = $"{Markup.Escape(deployment.Model.Name)}:{deployment.Version} {deployment.Status}";
        switch (deployment.Status)
        {
            case "SUCCEEDED":
                AnsiConsole.MarkupLine($"[green]{outcome}[/]: serves {Labscapes(deployment.Labscapes)} (approved by {Markup.Escape(deployment.ApprovedBy ?? "?")})");
                return 0;
            case "AWAITING_APPROVAL":
                AnsiConsole.MarkupLine(
                    $"[yellow]{outcome}[/]: Guardian's check did not pass{(deployment.Check is { } check ? $" ({Markup.Escape(check.Detail)})" : "")}; the CEO decides with ./galaxy approve {deployment.ApprovalId} --totp CODE");
                return AwaitingApproval;
            default:
                AnsiConsole.MarkupLine($"[red]{outcome}[/]{(deployment.Error is null ? "" : ": " + Markup.Escape(deployment.Error))}");
                return 1;
        }
    }

    private static string[] Window(WindowResponse window) =>
    [
        window.Requests.ToString("N0", CultureInfo.InvariantCulture), window.ErrorRate.ToString("P1", CultureInfo.InvariantCulture),
        window.LatencyP95Ms.ToString("F1", CultureInfo.InvariantCulture), window.Accuracy?.ToString("P1", CultureInfo.InvariantCulture) ?? "–",
    ];

    private static string Labscapes(int[] labscapes) =>
        labscapes.Length == 1 ? $"labscape {labscapes[0]}" : $"{labscapes.Length} labscapes";
}
