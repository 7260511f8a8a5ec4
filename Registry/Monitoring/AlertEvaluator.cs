namespace Galaxy.Registry.Monitoring;

/// <summary>
/// One evaluation of every threshold: the interval's figures judged against each model's thresholds (the seed's where
/// none were set) and the resource limits, planned against the firing alerts (<see cref="AlertBook"/>) at the clock's
/// now, and applied. Returns the changes that applied.
/// </summary>
public sealed class AlertEvaluator(ThresholdStore thresholds, AlertStore alerts, MonitoringOptions options, TimeProvider time)
{
    public async Task<IReadOnlyList<AlertChange>> EvaluateAsync(
        IReadOnlyList<VersionInterval> versions, IReadOnlyList<SiloReading> silos, CancellationToken cancellationToken)
    {
        var set = await thresholds.AllAsync(cancellationToken);
        var judgements = AlertJudge.Judge(versions, model => set.GetValueOrDefault(model) ?? ModelThresholds.Default, silos, options);
        var firing = await alerts.FiringAsync(cancellationToken);
        var applied = new List<AlertChange>();
        foreach (var change in AlertBook.Plan(firing, judgements, time.GetUtcNow(), options))
        {
            if (await alerts.ApplyAsync(change, cancellationToken))
            {
                applied.Add(change);
            }
        }

        return applied;
    }
}
