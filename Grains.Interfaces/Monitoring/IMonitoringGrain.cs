namespace Galaxy.Grains;

/// <summary>
/// The galaxy's one monitor (key 0): every <c>Galaxy:Monitoring:IntervalSeconds</c> it reads each served version's
/// <see cref="IVersionMonitorGrain"/> and each silo's resource use, writes the performance log, evaluates the alert
/// thresholds, tells deployments about alerts on their canaries, and prunes what is past the retention. Its timer lives
/// with its activation; each silo's supervisor calls <see cref="Watch"/> every few seconds, so an activation lost with
/// its silo starts again on another within seconds. Only silos call it.
/// </summary>
[Alias("galaxy.IMonitoringGrain")]
public interface IMonitoringGrain : IGrainWithIntegerKey
{
    /// <summary>Keeps the monitor active; returns at once.</summary>
    [Alias("Watch"), AlwaysInterleave]
    Task Watch();
}
