// A first app on the Galaxy SDK, against `./galaxy up` (passwords: .galaxy/bootstrap-credentials.txt):
//   GALAXY_PASSWORD=... dotnet run --project Client/Sample
// It trains the digits model on datasets/optdigits-train.csv (following the job's progress), deploys the new version to
// labscapes 0-3 under a canary, classifies digits while the canary rolls out (with feedback, which its analyses judge),
// and reports where the deployment ended. A version Guardian does not approve on its own waits for the CEO: the app
// then says so and stops. GALAXY_URL, GALAXY_USER (default lead), GALAXY_TOTP, GALAXY_DATASET, GALAXY_EPOCHS,
// GALAXY_HIDDEN (the hidden layer's width), GALAXY_SEEDS (how many seeds each learning rate is tried with; the recipe's
// default is 4), GALAXY_LABSCAPES (e.g. 0,1,2,3) and GALAXY_CANARY_SECONDS (each step's analysis interval, default 60)
// change the defaults.
using System.Globalization;
using Galaxy.Client;
using Galaxy.Contracts;

var gateway = new Uri(Environment.GetEnvironmentVariable("GALAXY_URL") ?? "http://127.0.0.1:5080");
var datasetPath = Environment.GetEnvironmentVariable("GALAXY_DATASET") ?? Path.Combine("datasets", "optdigits-train.csv");
var epochs = Number("GALAXY_EPOCHS");
var hidden = Number("GALAXY_HIDDEN");
var seeds = Number("GALAXY_SEEDS");
var canarySeconds = Number("GALAXY_CANARY_SECONDS") ?? 60;
int[] labscapes = Environment.GetEnvironmentVariable("GALAXY_LABSCAPES") is { Length: > 0 } listed
    ? [.. listed.Split(',').Select(id => int.Parse(id, CultureInfo.InvariantCulture))]
    : [0, 1, 2, 3];
using var http = new HttpClient { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
var galaxy = new GalaxyClient(http);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, cancel) => { cancel.Cancel = true; stop.Cancel(); };

try
{
    var tokens = await galaxy.SignInAsync(
        Environment.GetEnvironmentVariable("GALAXY_USER") ?? "lead",
        Environment.GetEnvironmentVariable("GALAXY_PASSWORD") ?? throw new InvalidOperationException("Set GALAXY_PASSWORD."),
        Environment.GetEnvironmentVariable("GALAXY_TOTP"),
        stop.Token);
    Console.WriteLine($"Signed in as {tokens.Role}.");

    // 1. The model and its training data (an upload of content already stored returns the stored dataset).
    ModelResponse model;
    try
    {
        model = await galaxy.CreateModelAsync("digits", "Handwritten digits, 8×8", cancellationToken: stop.Token);
    }
    catch (GalaxyInvalidRequestException taken) when (taken.Code == "model-exists")
    {
        model = await galaxy.GetModelAsync("digits", stop.Token);
    }

    await using var csv = File.OpenRead(datasetPath);
    var dataset = await galaxy.UploadDatasetAsync("optdigits-train", "digit", csv, stop.Token);
    Console.WriteLine($"dataset {dataset.Name}: {dataset.Rows} rows, {dataset.ClassCounts.Count} classes");

    // 2. Train, following the job's progress as it arrives.
    var job = await galaxy.StartTrainingAsync(new TrainingJobSpec(
        model.Name, dataset.Id.ToString(), "digit", Hidden: hidden, Epochs: epochs,
        Grid: seeds is { } count ? new TrainingGrid(Seeds: [.. Enumerable.Range(1, count)]) : null), stop.Token);
    TrainingJobResponse? trained = null;
    await foreach (var progress in galaxy.FollowTrainingJobAsync(job.Id, stop.Token))
    {
        Console.Write($"\rtraining: {progress.Progress:P0}, epoch {progress.EpochsDone}/{progress.Epochs}, best validation accuracy {progress.BestValidationAccuracy:P2}   ");
        trained = progress.Job ?? trained;
    }

    Console.WriteLine();
    if (trained is not { Status: "SUCCEEDED", Version: { } version })
    {
        Console.Error.WriteLine($"The job ended {trained?.Status}: {trained?.Error}");
        return 1;
    }

    // 3. Deploy it under a canary: 25 % of the labscapes' units, then 100 %, each step judged on an interval of traffic.
    // Two failed analyses in a row roll it back, not one: on a busy laptop a single window's latency is not a verdict.
    var deployment = await galaxy.DeployAsync(
        model.Name, version.ToString(CultureInfo.InvariantCulture), labscapes,
        canary: new CanarySpec(Steps: [25, 100], IntervalSeconds: canarySeconds, MinSamples: 50, MinFeedback: 20, FailureLimit: 2),
        reason: "the sample app's new digits model",
        cancellationToken: stop.Token);
    Console.WriteLine($"deployment {deployment.Id}: {deployment.Status}");
    if (deployment.Status == "AWAITING_APPROVAL")
    {
        Console.WriteLine($"Guardian's check did not pass on its own ({deployment.Check?.Detail}); the CEO decides approval {deployment.ApprovalId}.");
        return 0;
    }

    // 4. Classify while it rolls out: every answer names the version that gave it, and feedback counts toward its accuracy.
    var rows = File.ReadLines(datasetPath).Skip(1).Select(line => line.Split(',')).ToList();
    var (asked, right) = (0, 0);
    while (!deployment.IsFinished)
    {
        var row = rows[Random.Shared.Next(rows.Count)];
        InferenceResponse answer;
        try
        {
            answer = await galaxy.InferAsync(model.Name, [.. row[..^1].Select(value => float.Parse(value, CultureInfo.InvariantCulture))], cancellationToken: stop.Token);
        }
        catch (GalaxyInvalidRequestException notYet) when (notYet.Code == "model-not-served")
        {
            // The first step has not reached a labscape yet.
            await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
            deployment = await galaxy.GetDeploymentAsync(deployment.Id, stop.Token);
            continue;
        }

        await galaxy.SendFeedbackAsync(model.Name, answer.RequestId, row[^1], stop.Token);
        (asked, right) = (asked + 1, right + (answer.Label == row[^1] ? 1 : 0));
        if (asked % 50 == 0)
        {
            deployment = await galaxy.GetDeploymentAsync(deployment.Id, stop.Token);
            Console.Write($"\r{deployment.Status} at {deployment.CanaryPercent} %: {asked} classified, {(double)right / asked:P1} right (v{answer.Version} answered last)   ");
        }
    }

    Console.WriteLine();
    Console.WriteLine($"deployment {deployment.Status}{(deployment.Error is null ? "" : ": " + deployment.Error)}; {asked} classified, {right} right");
    if (deployment.Status == "ROLLED_BACK" && deployment.Analyses.LastOrDefault(analysis => !analysis.Passed) is { } failed)
    {
        Console.WriteLine($"the last failed analysis, at {failed.StepPercent} %: {failed.Verdict}");
    }

    return deployment.Status == "SUCCEEDED" ? 0 : 1;
}
catch (GalaxyApiException problem)
{
    Console.Error.WriteLine($"The gateway said {(int)problem.Status} {problem.Code}: {problem.Detail ?? problem.Title}");
    return 1;
}

static int? Number(string variable) =>
    int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : null;
