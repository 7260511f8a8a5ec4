using Orleans.Runtime;

namespace Galaxy.Grains;

/// <summary>
/// References to units and labscapes by key, without Orleans's per-call interface lookup: in Orleans 10.4
/// <c>GetGrain&lt;T&gt;(long)</c> reads the interface's attributes by reflection on every call, several microseconds
/// that a gateway or an in-silo caller would pay on every request. Each interface's grain type and interface type are
/// resolved once, by that stock call, and references are then built straight from the grain id.
/// </summary>
public static class GrainReferences
{
    public static IAiUnitGrain GetUnit(this IGrainFactory grains, long unitId) => Resolved<IAiUnitGrain>.Get(grains, unitId);

    public static ILabscapeGrain GetLabscape(this IGrainFactory grains, long labscapeId) => Resolved<ILabscapeGrain>.Get(grains, labscapeId);

    private static class Resolved<T>
        where T : IGrainWithIntegerKey
    {
        // A reference, so that threads racing to resolve it publish it whole; any of them resolves the same types.
        private static GrainTypes? s_types;

        public static T Get(IGrainFactory grains, long key)
        {
            var types = s_types ??= Resolve(grains);
            return (T)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface);
        }

        private static GrainTypes Resolve(IGrainFactory grains)
        {
            var reference = (GrainReference)(object)grains.GetGrain<T>(0);
            return new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
        }
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);
}
