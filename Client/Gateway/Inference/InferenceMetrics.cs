using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Galaxy.Gateway.Inference;

/// <summary>
/// Inference by model as metrics (meter <see cref="MeterName"/>), per model and version: requests by outcome and
/// their duration through the cluster, as this gateway saw them.
/// </summary>
internal static class InferenceMetrics
{
    public const string MeterName = "Galaxy.Inference";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "galaxy.inference.requests", "{request}", "Inference requests by model, version and outcome (success, failure).");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "galaxy.inference.duration", "s", "An inference's call into the cluster, from the gateway's view.");

    public static void Record(string model, string version, bool succeeded, double seconds)
    {
        var tags = new TagList { { "galaxy.model", model }, { "galaxy.model.version", version }, { "outcome", succeeded ? "success" : "failure" } };
        Requests.Add(1, tags);
        Duration.Record(seconds, tags);
    }
}
