using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Galaxy.Grains.Placement;

/// <summary>A grain whose string key is a silo's address (<see cref="SiloAddress.ToParsableString"/>) lives on that silo: one per silo, reading what the silo holds.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("galaxy.on-silo-of-key")]
public sealed class OnSiloOfKeyPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class OnSiloOfKeyAttribute() : PlacementAttribute(new OnSiloOfKeyPlacement());

/// <summary>Places an <see cref="OnSiloOfKeyPlacement"/> grain on the silo its key names; for a silo not in the cluster there is none.</summary>
public sealed class OnSiloOfKeyDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = context.GetCompatibleSilos(target).FirstOrDefault(silo => silo.ToParsableString() == key);
        return silo is not null ? Task.FromResult(silo) : throw new OrleansException($"No active silo is {key}: {target.GrainIdentity} has nowhere to run.");
    }
}
