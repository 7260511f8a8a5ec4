using System.Collections.Concurrent;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// The labscape engines active in this silo. A unit is placed beside its labscape, so it finds the engine here and calls
/// it as a method: no message, no serialization, one grain call per predict.
/// </summary>
public sealed class LocalLabscapes
{
    private readonly ConcurrentDictionary<int, LabscapeEngine> _engines = new();

    internal LabscapeEngine? Find(int labscapeId) => _engines.TryGetValue(labscapeId, out var engine) ? engine : null;

    internal void Add(int labscapeId, LabscapeEngine engine) => _engines[labscapeId] = engine;

    internal void Remove(int labscapeId, LabscapeEngine engine) =>
        _engines.TryRemove(new KeyValuePair<int, LabscapeEngine>(labscapeId, engine));
}
