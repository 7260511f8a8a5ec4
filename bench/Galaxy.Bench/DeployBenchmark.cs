using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Galaxy.Gateway.Deployments;
using Galaxy.Grains;
using Galaxy.Kernels;
using Galaxy.Registry;
using Galaxy.Testing.Processes;
using Galaxy.Training;
using Npgsql;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench deploy [--labscapes N]</c>: the full galaxy in one silo, every unit active, serving a digits
/// version trained here. Deploys it to every unit at once and rolls it back (each until the deployment's state says
/// so, durably); classifies digits through the gateway by model (the most it sustains, then the p95 at half that
/// rate), beside predicts of the same width straight to units; then deploys a deliberately bad version (its output
/// rows shifted one class) under a canary while an app sends inference with true-label feedback, and times the breach
/// from the canary's first step to its rollback.
/// </summary>
public sealed class DeployBenchmark : IBenchmark
{
    private const string Model = "digits";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The canary the breach is measured under: the default plan's steps and sample sizes, analysed every 5 s instead of
    /// 30 so that the run stays short (the rollback comes within one interval of the failed analysis either way).
    /// </summary>
    private static readonly CanaryPlan Canary = CanaryPlan.Default with { IntervalSeconds = 5 };

    public string Name => "deploy";

    public string Description => "deploy a version to every unit and roll it back; inference by model; breach to rollback";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var labscapes = BenchArguments.Option(args, "--labscapes", 256);
        var topology = new GalaxyTopology(labscapes, GalaxyBenchmark.UnitsPerLabscape, new ModelShape(16, 16, 4));
        await using var database = await TestDatabase.CreateAsync();
        await GalaxyBenchmark.SeedAsync(database.ConnectionString, topology, cancellationToken);
        await using var silo = await BenchSilo.StartAsync(database.ConnectionString, "deploy", GalaxyBenchmark.TopologySettings(topology));
        var activation = await GalaxyBenchmark.ForEveryUnitAsync(topology.UnitCount, id => silo.Grains.GetUnit(id).GetState(), cancellationToken);
        report.Record("deploy.activate_s", activation.Seconds, "s", $"{topology.UnitCount:N0} units active before anything is deployed");
        Console.WriteLine($"after activation: heap {GC.GetTotalMemory(false) / 1e9:F2} GB, working set {Environment.WorkingSet / 1e9:F2} GB");

        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var registry = new ModelRegistry(dataSource, TimeProvider.System);
        var digits = await LoadDigitsAsync(cancellationToken);
        var (good, bad) = await RegisterVersionsAsync(report, registry, digits, cancellationToken);
        var everyLabscape = Enumerable.Range(0, labscapes).ToArray();

        // Every unit, at once: Guardian's check (its latency probe included) and one serving record per labscape.
        var deployed = await DeployAsync(silo, good, everyLabscape, CanaryPlan.Default with { StepsPercent = [100] }, DeploymentStatus.Succeeded);
        report.Record("deploy.all_units_s", deployed.Seconds, "s",
            $"{topology.UnitCount:N0} units serve {good.Key}, durably; request to SUCCEEDED, Guardian's check {Between(deployed.State, "deployment.created", "deployment.approved"):F2} s of it, GC pauses {deployed.GcPausedSeconds:F2} s");
        report.Record("deploy.switch_s", Between(deployed.State, "deployment.started", "deployment.succeeded"), "s", "of which serving records written and every engine switched");
        var asked = Stopwatch.StartNew();
        report.Record("deploy.units_serving_after_deploy", await ServingAsync(silo, topology, good.Key), "fraction", "one unit sampled per labscape, asked what it serves");
        report.Record("deploy.first_requests_s", asked.Elapsed.TotalSeconds, "s",
            $"those {labscapes} requests, each the first to compute on its labscape since activation: each starts its engine (reads its units' rows, builds the version's table)");

        var rolledBack = await RollBackAsync(silo, deployed.Id);
        report.Record("deploy.rollback_s", rolledBack.Seconds, "s", $"{topology.UnitCount:N0} units serve their initial model again; request to ROLLED_BACK, GC pauses {rolledBack.GcPausedSeconds:F2} s");
        report.Record("deploy.units_serving_after_rollback", await ServingAsync(silo, topology, LabscapeServing.InitialVersion), "fraction", "one unit sampled per labscape");

        await DeployAsync(silo, good, everyLabscape, CanaryPlan.Default with { StepsPercent = [100] }, DeploymentStatus.Succeeded);
        var requests = digits.Rows.Select(row => ($"/v1/models/{Model}/inference", Body(new { features = row.Features }))).ToArray();
        await using var gateway = await GatewayLoad.StartAsync(database.ConnectionString, "deploy", requests, cancellationToken);
        await MeasureInferenceAsync(report, silo, gateway, topology, digits, cancellationToken);
        await MeasureBreachAsync(report, silo, gateway, bad, everyLabscape, digits, topology, cancellationToken);
    }

    /// <summary>
    /// Inference by model through the gateway: the most it sustains, and the p95 at half that rate; beside it, predicts
    /// of the same 64 inputs to units by id through the same gateway (the path without the model's routing).
    /// </summary>
    private static async Task MeasureInferenceAsync(
        BenchReport report, BenchSilo silo, GatewayLoad gateway, GalaxyTopology topology, Digits digits, CancellationToken cancellationToken)
    {
        await gateway.WarmUpAsync(TimeSpan.FromSeconds(10));
        var most = await gateway.MeasureMostAsync(report, "deploy.inference_per_s", Phase);
        // Apps are processes of their own, so the figure is the outside client's. The same open loop from this process
        // follows: its requests allocate in the silo's process, whose heap holds a million activations, and the
        // collections they cause pause the silo and the generator together.
        var paused = GC.GetTotalPauseDuration();
        var outside = await gateway.OutsideAtRateAsync(most / 2, Phase);
        report.Record("deploy.inference_p95_ms", outside.P95Ms, "ms",
            $"at {most / 2:N0}/s, half the most, from galaxy-load, a process of its own; p50 {outside.P50Ms:F2}, p99 {outside.P99Ms:F2} ms; {outside.Failures} failed; " +
            $"GC paused the silo's process {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s of the {Phase.TotalSeconds * 1.5:F0} s");
        paused = GC.GetTotalPauseDuration();
        var inProcess = await gateway.AtRateAsync(most / 2, Phase);
        report.Record("deploy.inference_inprocess_p95_ms", inProcess.P95Ms, "ms",
            $"the same open loop from the silo's process; p50 {inProcess.P50Ms:F2}, p99 {inProcess.P99Ms:F2} ms; {inProcess.Failures} failed; " +
            $"GC paused the silo's (and the generator's) process {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s of the {Phase.TotalSeconds:F0} s");

        var random = new Random(3);
        var predicts = Enumerable.Range(0, 4096)
            .Select(i => ($"/v1/units/{random.NextInt64(topology.UnitCount)}/predict", Body(new { input = digits.Rows[i % digits.Rows.Length].Features })))
            .ToArray();
        var unitPredicts = await ClosedLoop.RunAsync(64, Phase, (w, i) => gateway.PostAsync(predicts[(w * 7_919 + i) % predicts.Length].Item1, predicts[(w * 7_919 + i) % predicts.Length].Item2), cancellationToken);
        report.Record("deploy.unit_predict_per_s.c64", unitPredicts.PerSecond, "1/s", $"the same width straight to units by id, raw inputs; p99 {unitPredicts.P99Ms:F1} ms; {unitPredicts.Failures} failed");
        report.Record("deploy.inference_vs_unit_predict", report.Value("deploy.inference_per_s.c64") / unitPredicts.PerSecond, "ratio", "inference by model over predicts by unit id, both at concurrency 64");
    }

    /// <summary>
    /// A version whose every answer is one class off, deployed under <see cref="Canary"/> while 32 app callers classify
    /// digits and send each answer's true label as feedback: seconds from the canary's first step (the breach) to the
    /// rollback, split into detection and the rollback itself.
    /// </summary>
    private static async Task MeasureBreachAsync(
        BenchReport report, BenchSilo silo, GatewayLoad gateway, ServedVersion bad, int[] labscapes, Digits digits, GalaxyTopology topology,
        CancellationToken cancellationToken)
    {
        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (answers, refused) = (0L, 0L);
        string? firstRefusal = null;
        var traffic = Task.WhenAll(Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; !stopTraffic.IsCancellationRequested; i += 32)
            {
                var row = digits.Rows[i % digits.Rows.Length];
                try
                {
                    var answer = JsonDocument.Parse(await gateway.PostAsync($"/v1/models/{Model}/inference", Body(new { features = row.Features })));
                    var requestId = answer.RootElement.GetProperty("requestId").GetString();
                    await gateway.PostAsync($"/v1/models/{Model}/feedback", Body(new { requestId, label = row.Label }));
                    Interlocked.Increment(ref answers);
                }
                catch (HttpRequestException refusal)
                {
                    // An app whose call is refused calls again; the refusals are counted in the report.
                    Interlocked.Increment(ref refused);
                    Interlocked.CompareExchange(ref firstRefusal, refusal.Message, null);
                }
            }
        }, CancellationToken.None)));

        var breach = await DeployAsync(silo, bad, labscapes, Canary, DeploymentStatus.RolledBack, TimeSpan.FromMinutes(5));
        await stopTraffic.CancelAsync();
        await traffic.ContinueWith(_ => { }, TaskScheduler.Default);

        var state = breach.State;
        var failed = state.Analyses.Last(analysis => !analysis.Passed);
        report.Record("deploy.breach_to_rollback_s", Between(state, "deployment.step", "deployment.rolled-back"), "s",
            $"{bad.Key} at {Canary.StepsPercent[0]} % of the units to every unit back on the stable version; analysis every {Canary.IntervalSeconds} s");
        report.Record("deploy.breach_detect_s", Between(state, "deployment.step", "deployment.analysis-failed"), "s",
            $"to the failed analysis: {failed.Verdict}");
        report.Record("deploy.breach_rollback_only_s", Between(state, "deployment.analysis-failed", "deployment.rolled-back"), "s", "from the failed analysis to ROLLED_BACK");
        report.Record("deploy.breach_canary_requests", failed.Canary.Requests, "requests", $"the canary's in the failed window, of {answers:N0} answers with feedback during the deployment ({refused:N0} calls refused{(firstRefusal is null ? "" : $", the first: {firstRefusal}")})");
        report.Record("deploy.units_serving_after_breach", await ServingAsync(silo, topology, $"{Model}:1"), "fraction", "one unit sampled per labscape");
    }

    private static async Task<Deployed> DeployAsync(
        BenchSilo silo, ServedVersion version, int[] labscapes, CanaryPlan plan, DeploymentStatus expected, TimeSpan? bound = null)
    {
        var id = Guid.CreateVersion7();
        var deployment = silo.Grains.GetGrain<IDeploymentGrain>(id);
        var (started, paused) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
        await deployment.Start(new DeploymentRequest(version, labscapes, plan, "bench", "galaxy bench deploy", DateTimeOffset.UtcNow));
        var state = await WaitAsync(deployment, expected, bound ?? TimeSpan.FromMinutes(2));
        return Reported(new Deployed(id, Stopwatch.GetElapsedTime(started).TotalSeconds, state, (GC.GetTotalPauseDuration() - paused).TotalSeconds));
    }

    private static async Task<Deployed> RollBackAsync(BenchSilo silo, Guid id)
    {
        var deployment = silo.Grains.GetGrain<IDeploymentGrain>(id);
        var (started, paused) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
        await deployment.Rollback("bench", "galaxy bench deploy");
        var state = await WaitAsync(deployment, DeploymentStatus.RolledBack, TimeSpan.FromMinutes(2));
        return Reported(new Deployed(id, Stopwatch.GetElapsedTime(started).TotalSeconds, state, (GC.GetTotalPauseDuration() - paused).TotalSeconds));
    }

    /// <summary>The deployment's state once it reaches <paramref name="expected"/>, polled every 20 ms; any other end is a failure.</summary>
    private static async Task<DeploymentState> WaitAsync(IDeploymentGrain deployment, DeploymentStatus expected, TimeSpan bound)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var state = await deployment.GetState();
            if (state.Status == expected)
            {
                return state;
            }

            if (state.IsFinished || waited.Elapsed > bound)
            {
                throw new InvalidOperationException(
                    $"deployment {state.DeploymentId} is {state.Status.ToWireName()} after {waited.Elapsed.TotalSeconds:F0} s, expected {expected.ToWireName()}: "
                    + string.Join(" | ", state.History.Select(e => $"{e.Kind}: {e.Detail}")));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Seconds between the first <paramref name="from"/> and the last <paramref name="to"/> in the deployment's history.</summary>
    private static double Between(DeploymentState state, string from, string to) =>
        (state.History.Last(e => e.Kind == to).At - state.History.First(e => e.Kind == from).At).TotalSeconds;

    /// <summary>The fraction of sampled units (one random unit per labscape) that say they serve <paramref name="key"/>.</summary>
    private static async Task<double> ServingAsync(BenchSilo silo, GalaxyTopology topology, string key)
    {
        var random = new Random(7);
        var views = await Task.WhenAll(Enumerable.Range(0, topology.Labscapes).Select(labscape =>
            silo.Grains.GetUnit((long)labscape * topology.UnitsPerLabscape + random.Next(topology.UnitsPerLabscape)).Describe()));
        return views.Count(view => view.Serving == key) / (double)views.Length;
    }

    /// <summary>
    /// Trains a digits version here (one candidate of the default recipe's shape, 60 epochs) and registers it, then a
    /// bad one: the same weights with the output rows shifted one class, claiming the same validation accuracy.
    /// </summary>
    private static async Task<(ServedVersion Good, ServedVersion Bad)> RegisterVersionsAsync(
        BenchReport report, ModelRegistry registry, Digits digits, CancellationToken cancellationToken)
    {
        using var backend = ComputeBackends.Create(new ComputeOptions());
        var recipe = TrainingRecipe.Default with { Epochs = 60, LearningRates = [0.02f], Seeds = [1] };
        var set = TrainingSet.Prepare(digits.Data, recipe);
        using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe);
        EpochReport? last = null;
        while (trainer.EpochsDone < recipe.Epochs)
        {
            last = await trainer.RunEpochAsync(cancellationToken);
        }

        var architecture = trainer.Architecture;
        var accuracy = last!.BestScore.ValidationAccuracy;
        report.Record("deploy.version_val_accuracy", accuracy, "fraction", $"{architecture}, {recipe.Epochs} epochs, {set.Validation.Rows} held-out rows");
        var weights = await trainer.WeightsAsync(last.Best);
        var model = await registry.GetOrCreateModelAsync(Model, "bench", cancellationToken);
        var metrics = new Dictionary<string, double> { ["validation_accuracy"] = accuracy };
        var preprocessing = new Preprocessing(set.Standardization.Offsets, set.Standardization.Scales);
        var good = await registry.CreateVersionAsync(model.Id, Version(weights), "bench", cancellationToken);
        var bad = await registry.CreateVersionAsync(model.Id, Version(ShiftOutputs(architecture, weights)), "bench", cancellationToken);
        return (good.ToServed(), bad.ToServed());

        NewModelVersion Version(float[] parameters) => new(
            architecture.Inputs, architecture.Hidden, architecture.Outputs, recipe.Loss.ToString(), parameters, preprocessing,
            [.. set.Train.Classes], digits.FeatureNames, metrics, new VersionLineage(null, null, null, null, "bench"));
    }

    /// <summary>The output layer's rows (weights and bias) moved one class on: class k's scores become class k+1's.</summary>
    private static float[] ShiftOutputs(MlpArchitecture architecture, float[] weights)
    {
        var shifted = (float[])weights.Clone();
        var (hidden, outputs) = (architecture.Hidden, architecture.Outputs);
        var layer2 = weights.Length - (hidden * outputs + outputs);
        for (var k = 0; k < outputs; k++)
        {
            var to = (k + 1) % outputs;
            Array.Copy(weights, layer2 + k * hidden, shifted, layer2 + to * hidden, hidden);
            shifted[layer2 + hidden * outputs + to] = weights[layer2 + hidden * outputs + k];
        }

        return shifted;
    }

    private static byte[] Body(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private static async Task<Digits> LoadDigitsAsync(CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Path.Combine(RepositoryBuild.Root, "datasets", "optdigits-train.csv"));
        var (table, _) = await CsvDataset.ReadAsync(file, "digit", maxBytes: 1 << 20, cancellationToken);
        var width = table.FeatureNames.Length;
        var rows = table.Labels.Select((label, i) => new DigitRow(table.Features.AsSpan(i * width, width).ToArray(), label)).ToArray();
        return new Digits(LabelledData.FromLabels(width, table.Features, table.Labels), table.FeatureNames, rows);
    }

    private sealed record Digits(LabelledData Data, string[] FeatureNames, DigitRow[] Rows);

    private sealed record DigitRow(float[] Features, string Label);

    /// <summary>Each transition's moment from the first, and the silo process's GC pauses meanwhile: where the seconds went.</summary>
    private static Deployed Reported(Deployed deployed)
    {
        var first = deployed.State.History[0].At;
        Console.WriteLine(
            $"deployment {deployed.Id}: {deployed.Seconds:F2} s, of which GC paused the silo's process {deployed.GcPausedSeconds:F2} s; " +
            $"heap {GC.GetTotalMemory(false) / 1e9:F2} GB, working set {Environment.WorkingSet / 1e9:F2} GB");
        foreach (var transition in deployed.State.History)
        {
            Console.WriteLine($"  +{(transition.At - first).TotalSeconds,7:F2} s  {transition.Kind}");
        }

        return deployed;
    }

    private sealed record Deployed(Guid Id, double Seconds, DeploymentState State, double GcPausedSeconds);
}
