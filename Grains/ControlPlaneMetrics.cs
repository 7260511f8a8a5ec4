using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Galaxy.Grains;

/// <summary>
/// Training and deployment progress as metrics (meter <see cref="MeterName"/>), tagged with the model: where each is,
/// beside the rows that the control plane's routes serve.
/// </summary>
internal static class ControlPlaneMetrics
{
    public const string MeterName = "Galaxy.ControlPlane";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Epochs = Meter.CreateCounter<long>(
        "galaxy.training.epochs", "{epoch}", "Training epochs completed.");
    private static readonly Gauge<double> TrainingProgress = Meter.CreateGauge<double>(
        "galaxy.training.progress", "1", "The latest saved training job's share of its epochs done, per model.");
    private static readonly Counter<long> Transitions = Meter.CreateCounter<long>(
        "galaxy.deployment.transitions", "{transition}", "Deployment transitions (step, rollback, success…), by action.");
    private static readonly Gauge<double> CanaryShare = Meter.CreateGauge<double>(
        "galaxy.deployment.canary.share", "1", "The share of a deployment's units that its new version serves, at its latest transition.");

    public static void EpochDone(string model) => Epochs.Add(1, new TagList { { "galaxy.model", model } });

    public static void TrainingSaved(string model, int epochsDone, int epochs) =>
        TrainingProgress.Record(epochs == 0 ? 0 : (double)epochsDone / epochs, new TagList { { "galaxy.model", model } });

    public static void DeploymentTransition(string model, string action, int canaryPercent)
    {
        Transitions.Add(1, new TagList { { "galaxy.model", model }, { "action", action } });
        CanaryShare.Record(canaryPercent / 100.0, new TagList { { "galaxy.model", model } });
    }
}
