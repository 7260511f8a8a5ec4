using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Galaxy.Grains.Placement;

/// <summary>Labscapes spread evenly: labscape <c>l</c> goes to silo <c>l mod N</c> of the N silos, in address order.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("galaxy.spread-over-silos")]
public sealed class SpreadOverSilosPlacement : PlacementStrategy;

/// <summary>A unit goes wherever its labscape goes, so the unit → labscape call never crosses the network.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("galaxy.colocated-with-labscape")]
public sealed class ColocatedWithLabscapePlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpreadOverSilosAttribute() : PlacementAttribute(new SpreadOverSilosPlacement());

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ColocatedWithLabscapeAttribute() : PlacementAttribute(new ColocatedWithLabscapePlacement());

/// <summary>
/// Places both by the same pure function of the labscape id, so a unit lands beside its labscape without asking where
/// that is. While membership is stable the two always meet; after silos join or leave, activations stay put and only
/// new ones follow the new mapping, which costs a network hop until the old activations are collected, never
/// correctness.
/// </summary>
public sealed class LabscapeSiloDirector(GalaxyTopology topology) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.GetIntegerKey();
        var labscape = strategy is ColocatedWithLabscapePlacement && topology.ContainsUnit(key) ? topology.LabscapeOf(key) : key;
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new OrleansException($"No silo can host {target.GrainIdentity}.");
        }

        var ordered = silos.OrderBy(silo => silo.ToParsableString(), StringComparer.Ordinal).ToArray();
        var index = (int)(((labscape % ordered.Length) + ordered.Length) % ordered.Length);
        return Task.FromResult(ordered[index]);
    }
}
