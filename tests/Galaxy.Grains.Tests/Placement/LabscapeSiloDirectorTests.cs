using System.Net;
using Galaxy.Grains.Placement;
using Orleans.Runtime.Placement;

namespace Galaxy.Grains.Tests.Placement;

/// <summary>
/// Where labscapes and units activate: labscape <c>l</c> on silo <c>l mod N</c> of the silos in address order, and every
/// unit beside its labscape, with no look-up.
/// </summary>
public sealed class LabscapeSiloDirectorTests
{
    private static readonly GalaxyTopology Topology = new(Labscapes: 8, UnitsPerLabscape: 16, new ModelShape(4, 3, 2));
    private static readonly LabscapeSiloDirector Director = new(Topology);

    // Listed out of address order: the director orders them itself.
    private static readonly SiloAddress[] Silos = [Silo(11113), Silo(11111), Silo(11112)];

    [Theory]
    [InlineData(0, 11111)]
    [InlineData(1, 11112)]
    [InlineData(2, 11113)]
    [InlineData(7, 11112)]
    public async Task Labscapes_spread_over_the_silos_in_address_order(long labscape, int port)
    {
        var silo = await Director.OnAddActivation(new SpreadOverSilosPlacement(), Target("labscape", labscape), Offering(Silos));

        Assert.Equal(port, silo.Endpoint.Port);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(127)]
    public async Task A_unit_lands_on_its_labscapes_silo(long unit)
    {
        var context = Offering(Silos);

        var unitSilo = await Director.OnAddActivation(new ColocatedWithLabscapePlacement(), Target("unit", unit), context);
        var labscapeSilo = await Director.OnAddActivation(new SpreadOverSilosPlacement(), Target("labscape", Topology.LabscapeOf(unit)), context);

        Assert.Equal(labscapeSilo, unitSilo);
    }

    [Fact]
    public async Task A_key_outside_the_galaxy_is_placed_by_the_key_itself()
    {
        var silo = await Director.OnAddActivation(new ColocatedWithLabscapePlacement(), Target("unit", -2), Offering(Silos));

        // −2 mod 3 is 1: the second silo in address order, as for a labscape numbered −2.
        Assert.Equal(11112, silo.Endpoint.Port);
    }

    [Fact]
    public async Task With_no_silo_to_host_it_placement_fails_naming_the_grain()
    {
        var failure = await Assert.ThrowsAsync<OrleansException>(
            () => Director.OnAddActivation(new SpreadOverSilosPlacement(), Target("labscape", 3), Offering([])));

        Assert.StartsWith("No silo can host labscape/", failure.Message, StringComparison.Ordinal);
    }

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    private static PlacementTarget Target(string type, long key) =>
        new(GrainId.Create(GrainType.Create(type), GrainIdKeyExtensions.CreateIntegerKey(key)), new Dictionary<string, object>(), default, 0);

    private static IPlacementContext Offering(SiloAddress[] silos) =>
        Stand.Of<IPlacementContext>(("GetCompatibleSilos", _ => silos));
}
