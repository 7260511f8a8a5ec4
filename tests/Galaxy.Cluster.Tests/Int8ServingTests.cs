using Galaxy.Gateway.Deployments;
using Galaxy.Grains.Labscapes;
using Galaxy.Kernels;
using Galaxy.Registry;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// A labscape serving an int8 version: every unit answers from the int8 table (the int8 forward pass of the version's
/// weights), and a unit that learns takes its step on a float master copy of its weights, which is then quantised
/// again: its next answers are the int8 forward pass of the learned weights, and its durable weights are the master copy.
/// </summary>
public sealed class Int8ServingTests : IAsyncLifetime
{
    private const int Labscape = 2;
    private static readonly MlpArchitecture Shape = new(16, 12, 4);
    private readonly TrainingCluster _cluster = new();

    private IClusterClient Client => _cluster.Client;

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task An_int8_version_answers_from_int8_weights_and_a_unit_learns_on_its_float_master_copy()
    {
        var (version, weights) = await RegisterInt8Async("int8-served", seed: 201);
        var served = version.ToServed();
        Assert.True(served.Int8);
        await Client.GetGrain<ILabscapeEngineGrain>(Labscape).Serve(new LabscapeServing(served, null, 0, "int8"));
        var units = Enumerable.Range(0, GalaxyTestCluster.UnitsPerLabscape).Select(slot => (long)Labscape * GalaxyTestCluster.UnitsPerLabscape + slot).ToArray();
        var input = Reference.RandomVector(new Random(21), 16);

        // Every unit: the int8 forward pass of the version's weights, which is not the fp32 one.
        var distinctFromFp32 = false;
        foreach (var unitId in units)
        {
            var answer = await Client.GetGrain<IAiUnitGrain>(unitId).Predict(input);
            AssertInt8(weights, input, answer);
            var fp32 = ReferenceMlp.Forward(Shape, ReferenceMlp.ToDouble(weights), ReferenceMlp.ToDouble(input));
            distinctFromFp32 |= fp32.Zip(answer).Any(pair => Math.Abs(pair.First - pair.Second) > 1e-5);
        }

        Assert.True(distinctFromFp32, "the answers are the fp32 model's: the int8 table did not serve them");

        // A learn: the SGD step on the float weights (the dequantised version), as on any version.
        var (learner, neighbour) = (units[1], units[2]);
        var receipt = await Client.GetGrain<IAiUnitGrain>(learner).Learn(input, [0, 0, 1, 0]);
        var state = await Client.GetGrain<IAiUnitGrain>(learner).GetState();
        var expected = weights.ToArray();
        ReferenceMlp.LearnStep(Shape, expected, input, [0, 0, 1, 0], new LearnSettings(LossKind.CrossEntropy, 0.05f, 5f));

        Assert.True(receipt.Applied);
        Assert.Equal("int8-served:1", state.ModelVersion);
        Assert.Equal(expected.Length, state.Parameters.Length);
        Assert.All(expected.Zip(state.Parameters), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-5, $"{pair.First} vs {pair.Second}"));
        Assert.Contains(expected.Zip(weights), pair => pair.First != pair.Second);

        // Its answers are now the int8 pass of its learned weights; its neighbour still answers with the version's.
        AssertInt8(state.Parameters, input, await Client.GetGrain<IAiUnitGrain>(learner).Predict(input));
        AssertInt8(weights, input, await Client.GetGrain<IAiUnitGrain>(neighbour).Predict(input));
        Assert.Empty((await Client.GetGrain<IAiUnitGrain>(neighbour).GetState()).Parameters);
    }

    /// <summary>An int8 version as the optimizer registers one: the dequantised weights of a model, technique int8.</summary>
    private async Task<(ModelVersion Version, float[] Weights)> RegisterInt8Async(string name, int seed)
    {
        var model = await _cluster.Data.CreateModelAsync(name);
        var original = new float[Shape.ParameterCount];
        Shape.InitializeParameters(seed, original);
        var weights = Int8Quantization.Dequantize(Shape, original);
        var version = await _cluster.Data.Registry.CreateVersionAsync(
            model.Id,
            new NewModelVersion(
                Shape.Inputs, Shape.Hidden, Shape.Outputs, "CrossEntropy", weights, Preprocessing.Identity(Shape.Inputs), ["c0", "c1", "c2", "c3"], [],
                new Dictionary<string, double> { ["validation_accuracy"] = 0.99 },
                new VersionLineage(null, null, null, null, "int8") { Settings = new Dictionary<string, string> { ["weights"] = "int8" } }),
            "tester",
            CancellationToken.None);
        return (version, weights);
    }

    private static void AssertInt8(float[] weights, float[] input, float[] actual)
    {
        var quantized = new sbyte[Int8Quantization.WeightBytes(Shape)];
        var floats = new float[Int8Quantization.FloatCount(Shape)];
        Int8Quantization.QuantizeUnit(Shape, weights, quantized, floats);
        var ties = new double[Shape.Outputs];
        var expected = ReferenceMlp.QuantizedForward(Shape, quantized, floats, input, ties);
        for (var k = 0; k < Shape.Outputs; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= ties[k] + 1e-4, $"output {k}: int8 reference {expected[k]}, served {actual[k]}");
        }
    }
}
