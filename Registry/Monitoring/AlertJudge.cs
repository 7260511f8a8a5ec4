using System.Globalization;

namespace Galaxy.Registry.Monitoring;

/// <summary>A threshold broken: how badly (<see cref="AlertSeverities"/>), the figure and the limit it broke.</summary>
public sealed record Breach(string Severity, double Value, double Threshold, string Summary);

/// <summary>
/// One subject's figure against one threshold in one interval: broken (<see cref="Breach"/>), within it
/// (<see cref="Judged"/> and no breach), or not judged this interval (too little feedback to judge accuracy on).
/// </summary>
public sealed record Judgement(string Kind, string Subject, Guid? ModelId, string? ModelName, int? Version, bool Judged, Breach? Breach)
{
    /// <summary>What deduplicates alerts: one firing alert per kind and subject.</summary>
    public string Fingerprint => $"{Kind} {Subject}";
}

/// <summary>
/// The seed's thresholds applied to one interval: per served version its latency p95 and its accuracy from feedback;
/// per model its throughput over all its versions, judged only while it has traffic; per silo CPU, memory and GPU.
/// Latency at or above a limit breaks it; accuracy and throughput below one; resources above theirs.
/// </summary>
public static class AlertJudge
{
    public static List<Judgement> Judge(
        IReadOnlyList<VersionInterval> versions, Func<Guid, ModelThresholds> thresholdsOf, IReadOnlyList<SiloReading> silos, MonitoringOptions options)
    {
        var judgements = new List<Judgement>();
        foreach (var version in versions)
        {
            var limits = thresholdsOf(version.ModelId);
            judgements.Add(Latency(version, limits));
            judgements.Add(Accuracy(version, limits));
        }

        foreach (var model in versions.GroupBy(version => (version.ModelId, version.ModelName)))
        {
            judgements.Add(Throughput(model.Key.ModelId, model.Key.ModelName, model.ToList(), thresholdsOf(model.Key.ModelId)));
        }

        foreach (var silo in silos)
        {
            judgements.Add(Resource(AlertKinds.Cpu, silo, silo.CpuPercent, options.CpuPercent));
            judgements.Add(Resource(AlertKinds.Memory, silo, silo.MemoryPercent, options.MemoryPercent));
            judgements.Add(Resource(AlertKinds.Gpu, silo, silo.GpuPercent, options.GpuPercent));
        }

        return judgements;
    }

    private static Judgement Latency(VersionInterval version, ModelThresholds limits)
    {
        Breach? breach = null;
        if (version.LatencyP95Ms is { } p95)
        {
            var (severity, limit) = p95 >= limits.LatencyP95CriticalMs ? (AlertSeverities.Critical, limits.LatencyP95CriticalMs)
                : p95 >= limits.LatencyP95WarningMs ? (AlertSeverities.Warning, limits.LatencyP95WarningMs)
                : (null, 0);
            breach = severity is null ? null : new Breach(
                severity, p95, limit, Text($"{version.Key}: latency p95 {p95:F1} ms at or above {limit:G} ms ({version.Requests} requests)"));
        }

        // Without requests there is no latency to be high: an alert on it resolves.
        return new Judgement(AlertKinds.LatencyP95, version.Key, version.ModelId, version.ModelName, version.Version, true, breach);
    }

    private static Judgement Accuracy(VersionInterval version, ModelThresholds limits)
    {
        if (version.Feedback < limits.MinFeedback || version.Accuracy is not { } accuracy)
        {
            // Too few answers with feedback to judge on; without any traffic at all there is nothing wrong to report.
            return new Judgement(AlertKinds.Accuracy, version.Key, version.ModelId, version.ModelName, version.Version, version.Requests == 0 && version.Feedback == 0, null);
        }

        var (severity, limit) = accuracy < limits.AccuracyCritical ? (AlertSeverities.Critical, limits.AccuracyCritical)
            : accuracy < limits.AccuracyWarning ? (AlertSeverities.Warning, limits.AccuracyWarning)
            : (null, 0);
        var breach = severity is null ? null : new Breach(
            severity, accuracy, limit, Text($"{version.Key}: accuracy {accuracy:P2} below {limit:P2} on {version.Feedback} answers with feedback"));
        return new Judgement(AlertKinds.Accuracy, version.Key, version.ModelId, version.ModelName, version.Version, true, breach);
    }

    private static Judgement Throughput(Guid modelId, string model, List<VersionInterval> versions, ModelThresholds limits)
    {
        var requests = versions.Sum(version => version.Requests);
        var seconds = (versions[0].End - versions[0].Start).TotalSeconds;
        var throughput = requests / seconds;
        var (severity, limit) = requests == 0 ? (null, 0)
            : throughput < limits.ThroughputCritical ? (AlertSeverities.Critical, limits.ThroughputCritical)
            : throughput < limits.ThroughputWarning ? (AlertSeverities.Warning, limits.ThroughputWarning)
            : (null, 0);
        var breach = severity is null ? null : new Breach(
            severity, throughput, limit, Text($"{model}: throughput {throughput:F1} req/s below {limit:G} req/s"));
        return new Judgement(AlertKinds.Throughput, model, modelId, model, null, true, breach);
    }

    private static Judgement Resource(string kind, SiloReading silo, double? percent, double limit)
    {
        var breach = percent is { } used && used > limit
            ? new Breach(AlertSeverities.Warning, used, limit, Text($"silo {silo.Silo}: {kind} {used:F1} % above {limit:G} %"))
            : null;
        return new Judgement(kind, $"silo {silo.Silo}", null, null, null, true, breach);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
