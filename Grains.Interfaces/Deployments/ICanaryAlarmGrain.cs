namespace Galaxy.Grains;

/// <summary>
/// What the monitoring grain tells a deployment whose canary version broke a critical threshold (an alert on its
/// latency or accuracy): it counts as a failed analysis, so at the plan's failure limit the deployment rolls back at
/// once rather than at its next interval. Keyed like <see cref="IDeploymentGrain"/>; only grains call it.
/// </summary>
[Alias("galaxy.ICanaryAlarmGrain")]
public interface ICanaryAlarmGrain : IGrainWithGuidKey
{
    /// <summary>Harmless when the deployment is not rolling out (any more): nothing happens.</summary>
    [Alias("Breached")]
    Task Breached(Guid alertId, string summary);
}
