using System.Globalization;
using Galaxy.Grains.Labscapes;
using Galaxy.Registry;

namespace Galaxy.Grains.Deployments;

/// <summary>Guardian's check of a version before a deployment may serve it without the CEO's decision.</summary>
public sealed class GuardianChecks(ModelRegistry registry, IComputeBackend backend, VersionWeightsCache versions)
{
    private const int LatencyProbes = 200;

    /// <summary>
    /// Guardian's check: the version's accuracy (its latest evaluation, else its held-out validation figure) and its
    /// inference latency p95 on this silo's backend (single rows, as an unbatched request meets it, in the table that
    /// would serve it: int8 for an int8 version), against the plan.
    /// </summary>
    public async Task<GuardianCheck> CheckAsync(DeploymentRequest request)
    {
        var version = request.Version;
        var found = await registry.FindVersionAsync(version.ModelId, version.Version.ToString(CultureInfo.InvariantCulture), CancellationToken.None)
            ?? throw new InvalidDeploymentException($"Version {version.Key} is not in the registry.");
        var latest = (await registry.ListEvaluationsAsync(version.ModelId, version.Version, CancellationToken.None))
            .MaxBy(evaluation => evaluation.EvaluatedAt);
        var (accuracy, source) = latest is not null
            ? (latest.Accuracy, $"evaluation on {latest.DatasetName}")
            : found.Metrics.TryGetValue("validation_accuracy", out var validation)
                ? (validation, "held-out validation")
                : ((double?)null, "none");
        var p95 = await ProbeLatencyAsync(version);
        var plan = request.Plan;
        var accuracyOk = accuracy >= plan.MinAccuracy;
        var latencyOk = p95 <= plan.MaxLatencyP95Ms;
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"accuracy {(accuracy is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "unknown")} ({source}) {(accuracyOk ? "≥" : "below")} {plan.MinAccuracy:F4}, " +
            $"latency p95 {p95:F3} ms {(latencyOk ? "≤" : "over")} {plan.MaxLatencyP95Ms} ms");
        return new GuardianCheck(accuracy, source, p95, accuracyOk && latencyOk, detail);
    }

    private async Task<double> ProbeLatencyAsync(ServedVersion version)
    {
        var weights = await versions.GetAsync(version);
        var architecture = version.Shape.ToArchitecture();
        using var table = ServedModel.CreateTable(backend, architecture, 1, version.Int8);
        await table.LoadUnitAsync(0, weights.Parameters);
        var input = new float[architecture.Inputs];
        var output = new float[architecture.Outputs];
        var latency = new LatencyHistogram();
        for (var probe = 0; probe < LatencyProbes; probe++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await table.ForwardAsync(new[] { 0 }, input, output);
            latency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latency.Percentile(0.95);
    }
}
