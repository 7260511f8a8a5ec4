using Galaxy.Gateway.Deployments;
using Galaxy.Grains.Labscapes;
using Galaxy.Kernels;
using Galaxy.Registry;
using Galaxy.Testing.Training;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// What a labscape serves, and the units' weights under it: a deployment is one record per labscape, units without
/// weights of their own compute with the version's shared weights, a unit that learns gets its own (copy on write) and
/// gets them back when a rollback serves their version again.
/// </summary>
public sealed class ServingTests : IAsyncLifetime
{
    private const int Labscape = 1;
    private readonly TrainingCluster _cluster = new();

    private IClusterClient Client => _cluster.Client;

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_served_version_answers_for_every_unit_without_writing_to_any()
    {
        var version = await RegisterAsync("shared", hidden: 8, seed: 101);
        var weights = await WeightsOf(version);

        var served = await ServeAsync(new LabscapeServing(version.ToServed(), null, 0, "d1"));

        Assert.Equal("shared:1", served.Serving.StableKey);
        foreach (var unitId in UnitsOfLabscape())
        {
            var input = Reference.RandomVector(new Random((int)unitId), 16);
            Reference.AssertClose(Forward(version, weights, input), await Client.GetGrain<IAiUnitGrain>(unitId).Predict(input));
        }

        Assert.Equal(0L, await _cluster.Galaxy.Database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'unit'"));
    }

    [Fact]
    public async Task A_deployment_to_a_labscape_that_has_not_computed_writes_its_record_and_the_first_request_starts_its_engine_on_it()
    {
        var version = await RegisterAsync("cold", hidden: 8, seed: 103);
        var labscape = Client.GetGrain<ILabscapeGrain>(Labscape);
        var before = await labscape.GetMetrics();

        await ServeAsync(new LabscapeServing(version.ToServed(), null, 0, "d-cold"));
        var afterServe = await labscape.GetMetrics();
        var unitId = UnitsOfLabscape()[0];
        var input = Reference.RandomVector(new Random(5), 16);
        var answer = await Client.GetGrain<IAiUnitGrain>(unitId).Infer(input);

        Assert.False(before.Computing);
        Assert.False(afterServe.Computing);
        Assert.Equal("cold:1", answer.Version);
        Reference.AssertClose(Forward(version, await WeightsOf(version), input), answer.Output);
        Assert.True((await labscape.GetMetrics()).Computing);
    }

    [Fact]
    public async Task A_version_whose_weights_cannot_be_read_is_refused_by_a_labscape_that_has_not_computed_and_changes_nothing()
    {
        var missing = new ServedVersion(Guid.NewGuid(), "missing", 1, new ModelShape(16, 8, 4), LossFunction.CrossEntropy, ["a", "b", "c", "d"]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ServeAsync(new LabscapeServing(missing, null, 0, "d-missing")));

        Assert.Equal(LabscapeServing.InitialVersion, (await Client.GetGrain<ILabscapeGrain>(Labscape).GetState()).Serving.StableKey);
        Assert.Equal(LabscapeServing.InitialVersion, (await Client.GetGrain<IAiUnitGrain>(UnitsOfLabscape()[0]).Infer(new float[16])).Version);
    }

    [Fact]
    public async Task A_unit_that_learns_gets_weights_of_its_own_and_its_neighbours_keep_the_shared_ones()
    {
        var version = await RegisterAsync("copy-on-write", hidden: 8, seed: 102);
        var shared = await WeightsOf(version);
        await ServeAsync(new LabscapeServing(version.ToServed(), null, 0, "d2"));
        var (learner, neighbour) = (UnitsOfLabscape()[2], UnitsOfLabscape()[3]);
        var input = Reference.RandomVector(new Random(7), 16);

        var receipt = await Client.GetGrain<IAiUnitGrain>(learner).Learn(input, [0, 1, 0, 0]);
        var learned = await Client.GetGrain<IAiUnitGrain>(learner).GetState();

        Assert.True(receipt.Applied);
        Assert.Equal(("copy-on-write:1", new ModelShape(16, 8, 4)), (learned.ModelVersion, learned.Architecture));
        Assert.NotEqual(shared, learned.Parameters);
        Reference.AssertClose(Forward(version, learned.Parameters, input), await Client.GetGrain<IAiUnitGrain>(learner).Predict(input));
        Reference.AssertClose(Forward(version, shared, input), await Client.GetGrain<IAiUnitGrain>(neighbour).Predict(input));
        Assert.Empty((await Client.GetGrain<IAiUnitGrain>(neighbour).GetState()).Parameters);
    }

    [Fact]
    public async Task A_rollback_gives_each_unit_back_the_weights_it_had_learned_on_the_version_served_again()
    {
        var (unitId, input) = (UnitsOfLabscape()[4], Reference.RandomVector(new Random(8), 16));
        var unit = Client.GetGrain<IAiUnitGrain>(unitId);
        await unit.Learn(input, [1, 0, 0, 0]);
        var onInitial = await unit.GetState();
        var version = await RegisterAsync("rollback", hidden: 12, seed: 103);

        await ServeAsync(new LabscapeServing(version.ToServed(), null, 0, "d3"));
        await unit.Learn(input, [0, 0, 1, 0]);
        var onVersion = await unit.GetState();
        await ServeAsync(LabscapeServing.Initial);
        var afterRollback = await unit.Predict(input);
        await ServeAsync(new LabscapeServing(version.ToServed(), null, 0, "d4"));
        var afterRedeploy = await unit.Predict(input);

        Assert.Equal(("rollback:1", LabscapeServing.InitialVersion), (onVersion.ModelVersion, onVersion.Dormant?.Version));
        Assert.Equal(onInitial.Parameters, onVersion.Dormant!.Parameters);
        Reference.AssertClose(Reference.Predict(onInitial, input), afterRollback);
        Reference.AssertClose(Forward(version, onVersion.Parameters, input), afterRedeploy);
    }

    [Fact]
    public async Task A_canary_serves_the_share_of_units_its_buckets_pick_and_a_larger_share_keeps_them()
    {
        var stable = await RegisterAsync("stable", hidden: 8, seed: 104);
        var canary = await RegisterAsync("canary", hidden: 6, seed: 105);
        var (stableWeights, canaryWeights) = (await WeightsOf(stable), await WeightsOf(canary));
        var half = new LabscapeServing(stable.ToServed(), canary.ToServed(), 5_000, "d5");

        await ServeAsync(half);
        var onCanaryAtHalf = await OnCanaryAsync();
        await ServeAsync(half with { CanaryBasisPoints = 10_000 });
        var onCanaryAtAll = await OnCanaryAsync();

        var slotsAtHalf = half.CanarySlots(UnitsOfLabscape()[0], GalaxyTestCluster.UnitsPerLabscape);
        Assert.Equal(UnitsOfLabscape().Where((_, slot) => slotsAtHalf[slot]), onCanaryAtHalf);
        Assert.Equal(GalaxyTestCluster.UnitsPerLabscape / 2, onCanaryAtHalf.Length);
        Assert.Equal(UnitsOfLabscape(), onCanaryAtAll);

        async Task<long[]> OnCanaryAsync()
        {
            var onCanary = new List<long>();
            foreach (var unitId in UnitsOfLabscape())
            {
                var input = Reference.RandomVector(new Random((int)unitId), 16);
                var output = await Client.GetGrain<IAiUnitGrain>(unitId).Predict(input);
                if (Close(Forward(canary, canaryWeights, input), output))
                {
                    onCanary.Add(unitId);
                }
                else
                {
                    Reference.AssertClose(Forward(stable, stableWeights, input), output);
                }
            }

            return [.. onCanary];
        }
    }

    [Fact]
    public async Task What_a_labscape_serves_and_its_units_own_weights_survive_a_restart_of_every_silo()
    {
        var version = await RegisterAsync("durable", hidden: 8, seed: 106);
        await ServeAsync(new LabscapeServing(version.ToServed(), null, 0, "d6"));
        var (unitId, input) = (UnitsOfLabscape()[5], Reference.RandomVector(new Random(9), 16));
        await Client.GetGrain<IAiUnitGrain>(unitId).Learn(input, [0, 0, 0, 1]);
        var learned = await Client.GetGrain<IAiUnitGrain>(unitId).GetState();
        var neighbour = UnitsOfLabscape()[6];

        foreach (var silo in _cluster.Galaxy.Cluster.Silos.ToList())
        {
            await _cluster.Galaxy.Cluster.RestartSiloAsync(silo);
        }

        Assert.Equal("durable:1", (await Client.GetGrain<ILabscapeGrain>(Labscape).GetState()).Serving.StableKey);
        var bulk = await Client.GetGrain<ILabscapeGrain>(Labscape).PredictMany([unitId, neighbour], [input, input], null);
        Reference.AssertClose(Forward(version, learned.Parameters, input), bulk[0]);
        Reference.AssertClose(Forward(version, await WeightsOf(version), input), bulk[1]);
    }

    [Fact]
    public async Task An_architecture_switch_under_a_learn_load_loses_no_acknowledged_learn()
    {
        var narrow = await RegisterAsync("narrow", hidden: 5, seed: 107);
        var units = UnitsOfLabscape();
        var acknowledged = new long[units.Length];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var learners = units.Select((unitId, i) => Task.Run(async () =>
        {
            var unit = Client.GetGrain<IAiUnitGrain>(unitId);
            var input = Reference.RandomVector(new Random(i), 16);
            while (!stop.IsCancellationRequested)
            {
                await unit.Learn(input, [0.25f, 0.25f, 0.25f, 0.25f]);
                acknowledged[i]++;
            }
        })).ToArray();

        foreach (var serving in new[] { new LabscapeServing(narrow.ToServed(), null, 0, "d7"), LabscapeServing.Initial, new LabscapeServing(narrow.ToServed(), null, 0, "d8") })
        {
            var before = acknowledged.Sum();
            await ServeAsync(serving);
            await WaitUntilAsync(() => acknowledged.Sum() >= before + 2 * units.Length);
        }

        await stop.CancelAsync();
        await Task.WhenAll(learners.Select(learner => learner.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.All(learners, learner => Assert.False(learner.IsFaulted, learner.Exception?.ToString()));
        for (var i = 0; i < units.Length; i++)
        {
            var state = await Client.GetGrain<IAiUnitGrain>(units[i]).GetState();
            Assert.Equal((acknowledged[i], acknowledged[i]), (state.Learns, state.Revision));
        }
    }

    [Fact]
    public void Clients_cannot_reach_what_only_grains_may_call()
    {
        var public_ = typeof(ILabscapeGrain).GetMethods().Select(method => method.Name).ToHashSet();
        var internal_ = typeof(ILabscapeEngineGrain).GetMethods().Select(method => method.Name);
        var gatewayReferences = typeof(Galaxy.Gateway.Problems).Assembly.GetReferencedAssemblies().Select(assembly => assembly.Name);

        Assert.Empty(public_.Intersect(internal_));
        Assert.DoesNotContain(typeof(ILabscapeEngineGrain).Assembly.GetName().Name, gatewayReferences);
        Assert.Equal(typeof(LabscapeGrain).Assembly, typeof(ILabscapeEngineGrain).Assembly);
    }

    private static long[] UnitsOfLabscape() =>
        Enumerable.Range(0, GalaxyTestCluster.UnitsPerLabscape).Select(slot => (long)Labscape * GalaxyTestCluster.UnitsPerLabscape + slot).ToArray();

    private async Task<ModelVersion> RegisterAsync(string name, int hidden, int seed) =>
        await _cluster.Data.RegisterVersionAsync(await _cluster.Data.CreateModelAsync(name), 16, hidden, 4, seed);

    private Task<float[]> WeightsOf(ModelVersion version) =>
        _cluster.Data.Registry.LoadWeightsAsync(version.ModelId, version.Version, CancellationToken.None);

    private Task<LabscapeState> ServeAsync(LabscapeServing serving) => Client.GetGrain<ILabscapeEngineGrain>(Labscape).Serve(serving);

    private static double[] Forward(ModelVersion version, float[] weights, float[] input) =>
        ReferenceMlp.Forward(new MlpArchitecture(version.Inputs, version.Hidden, version.Outputs), ReferenceMlp.ToDouble(weights), ReferenceMlp.ToDouble(input));

    private static bool Close(double[] expected, float[] actual) =>
        expected.Length == actual.Length && expected.Zip(actual).All(pair => Math.Abs(pair.First - pair.Second) <= 1e-4);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "gave up waiting for the learners");
            await Task.Delay(20);
        }
    }
}
