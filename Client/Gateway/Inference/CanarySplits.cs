using System.Collections.Concurrent;
using Galaxy.Grains;

namespace Galaxy.Gateway.Inference;

/// <summary>
/// Each labscape's units split between its canary and its stable version as the labscape splits them
/// (<see cref="LabscapeServing.CanarySlotsOf"/>), kept while its canary stays the same: a refresh of the routes during a
/// rollout then reads the serving table, not every unit's bucket again (a hash a unit and a sort a labscape).
/// One split a labscape, the latest, as a labscape serves one canary at a time (its units are the topology's, fixed).
/// </summary>
internal sealed class CanarySplits
{
    private readonly ConcurrentDictionary<int, CanarySplit> _byLabscape = new();

    public CanarySplit Of(int labscapeId, string deployment, int basisPoints, long firstUnitId, int units)
    {
        if (_byLabscape.TryGetValue(labscapeId, out var kept) && kept.Deployment == deployment && kept.BasisPoints == basisPoints)
        {
            return kept;
        }

        var onCanary = LabscapeServing.CanarySlotsOf(deployment, basisPoints, firstUnitId, units);
        var split = new CanarySplit(
            deployment, basisPoints,
            [.. Enumerable.Range(0, units).Where(slot => onCanary[slot]).Select(slot => firstUnitId + slot)],
            [.. Enumerable.Range(0, units).Where(slot => !onCanary[slot]).Select(slot => firstUnitId + slot)]);
        _byLabscape[labscapeId] = split;
        return split;
    }
}

/// <summary>A labscape's units on its canary and on its stable version, for one canary share of one deployment.</summary>
internal sealed record CanarySplit(string Deployment, int BasisPoints, long[] OnCanary, long[] OnStable);
