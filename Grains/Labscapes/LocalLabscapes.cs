using System.Collections.Concurrent;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// The labscapes active in this silo, with their batching figures and, once one has computed, its engine. A unit is
/// placed beside its labscape, so it finds the engine here and calls it as a method: no message, no serialization, one
/// grain call per predict. Readers of the figures (<see cref="SiloLabscapesGrain"/>) find them here too, without calling,
/// so without activating, a labscape.
/// </summary>
public sealed class LocalLabscapes
{
    private readonly ConcurrentDictionary<int, LocalLabscape> _labscapes = new();

    /// <summary>The labscape's engine, if the labscape is active here and its engine has started.</summary>
    internal LabscapeEngine? Find(int labscapeId) => _labscapes.TryGetValue(labscapeId, out var local) ? local.Engine : null;

    /// <summary>An activation of <paramref name="labscapeId"/>, not computing yet: its engine comes with <see cref="LocalLabscape.Engine"/>.</summary>
    internal LocalLabscape Add(int labscapeId, BatchMetrics metrics) => _labscapes[labscapeId] = new LocalLabscape(metrics);

    internal void Remove(int labscapeId, LocalLabscape labscape) =>
        _labscapes.TryRemove(new KeyValuePair<int, LocalLabscape>(labscapeId, labscape));

    /// <summary>Each active labscape's figures since its activation, by id, as <see cref="ILabscapeGrain.GetMetrics"/> gives them.</summary>
    internal Dictionary<int, LabscapeMetrics> Snapshot(string backend, string silo) => _labscapes.ToDictionary(
        pair => pair.Key, pair => pair.Value.Snapshot(backend) with { Silo = silo });
}

/// <summary>One labscape's activation in this silo: its figures, and its engine once it has started.</summary>
internal sealed class LocalLabscape(BatchMetrics metrics)
{
    private LabscapeEngine? _engine;

    public BatchMetrics Metrics { get; } = metrics;

    public LabscapeEngine? Engine
    {
        get => Volatile.Read(ref _engine);
        set => Volatile.Write(ref _engine, value);
    }

    public LabscapeMetrics Snapshot(string backend) =>
        Engine is { } engine ? Metrics.Snapshot(engine.QueueLength, backend) with { Computing = true } : Metrics.Snapshot(0, backend);
}
