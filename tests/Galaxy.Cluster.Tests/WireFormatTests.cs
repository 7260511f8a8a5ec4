using Galaxy.Grains.Labscapes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// What silos send each other, encoded as a message body is: statically typed as object, so the encoding names the
/// type by its alias. Calls within a silo skip this, so only a call across silos (a unit whose labscape lives
/// elsewhere, as after a failover) would find a bad alias.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WireFormatTests(GalaxyTestCluster galaxy)
{
    public static TheoryData<object> Messages() =>
    [
        EngineReply<LearnOutcome>.Of(new LearnOutcome(true, 0.25f, "digits:3", new OwnWeights("digits:3", new ModelShape(1, 1, 1), [1, 2, 3, 4]), null)),
        EngineReply<float[]>.StaleReply,
        new LabscapeServing(
            new ServedVersion(Guid.NewGuid(), "digits", 3, new ModelShape(64, 32, 10), LossFunction.CrossEntropy, ["0", "1"]), null, 0, "deployment"),
        new LearnReceipt(true, 0.5f, 7, 6),
        new LearnSpec(LossFunction.CrossEntropy, 0.1f, 5),
        new RevisionMismatchException(3, 4, 5),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Crosses_silos_by_its_alias(object message)
    {
        var serializer = galaxy.Cluster.ServiceProvider.GetRequiredService<Serializer>();

        var decoded = serializer.Deserialize<object>(serializer.SerializeToArray<object>(message));

        Assert.IsType(message.GetType(), decoded);
        Assert.Equal(
            Convert.ToHexString(serializer.SerializeToArray<object>(message)),
            Convert.ToHexString(serializer.SerializeToArray(decoded)));
    }
}
