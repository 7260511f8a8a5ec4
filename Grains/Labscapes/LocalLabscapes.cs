using System.Collections.Concurrent;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// The labscape engines active in this silo, with their batching figures. A unit is placed beside its labscape, so it
/// finds the engine here and calls it as a method: no message, no serialization, one grain call per predict. Readers of
/// the figures (<see cref="SiloLabscapesGrain"/>) find them here too, without calling, so without activating, a labscape.
/// </summary>
public sealed class LocalLabscapes
{
    private readonly ConcurrentDictionary<int, (LabscapeEngine Engine, BatchMetrics Metrics)> _engines = new();

    internal LabscapeEngine? Find(int labscapeId) => _engines.TryGetValue(labscapeId, out var local) ? local.Engine : null;

    internal void Add(int labscapeId, LabscapeEngine engine, BatchMetrics metrics) => _engines[labscapeId] = (engine, metrics);

    internal void Remove(int labscapeId, LabscapeEngine engine)
    {
        if (_engines.TryGetValue(labscapeId, out var local) && ReferenceEquals(local.Engine, engine))
        {
            _engines.TryRemove(new KeyValuePair<int, (LabscapeEngine, BatchMetrics)>(labscapeId, local));
        }
    }

    /// <summary>Each active labscape's figures since its activation, by id, as <see cref="ILabscapeGrain.GetMetrics"/> gives them.</summary>
    internal Dictionary<int, LabscapeMetrics> Snapshot(string backend, string silo) => _engines.ToDictionary(
        pair => pair.Key, pair => pair.Value.Metrics.Snapshot(pair.Value.Engine.QueueLength, backend) with { Silo = silo });
}
