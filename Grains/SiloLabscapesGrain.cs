using Galaxy.Grains.Labscapes;
using Galaxy.Grains.Placement;

namespace Galaxy.Grains;

/// <summary>One silo's <see cref="ISiloLabscapesGrain"/>: placed on that silo, it reads the silo's <see cref="LocalLabscapes"/>.</summary>
[OnSiloOfKey]
public sealed class SiloLabscapesGrain(LocalLabscapes local, IComputeBackend backend) : Grain, ISiloLabscapesGrain
{
    public Task<Dictionary<int, LabscapeMetrics>> GetMetrics() => Task.FromResult(local.Snapshot(backend.Name, RuntimeIdentity));
}
