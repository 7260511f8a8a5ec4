namespace Galaxy.Grains.Monitoring;

/// <summary>Sums what the gateways report of one version's inference (<see cref="IVersionMonitorGrain"/>).</summary>
public sealed class VersionMonitorGrain : Grain, IVersionMonitorGrain
{
    private VersionFigures _figures = VersionFigures.Empty;

    public Task Report(VersionFigures figures)
    {
        _figures = _figures.Plus(figures);
        return Task.CompletedTask;
    }

    public Task<VersionFigures> GetFigures() => Task.FromResult(_figures);
}
