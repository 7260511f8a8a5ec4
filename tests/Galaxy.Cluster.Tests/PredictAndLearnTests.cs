namespace Galaxy.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PredictAndLearnTests(GalaxyTestCluster galaxy)
{
    private const int Inputs = 16;
    private const int Outputs = 4;

    [Fact]
    public async Task A_prediction_equals_the_reference_forward_pass_of_the_units_parameters()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(5);
        var input = Reference.RandomVector(new Random(5), Inputs);

        var output = await unit.Predict(input);

        Reference.AssertClose(Reference.Predict(await unit.GetState(), input), output);
    }

    [Fact]
    public async Task Concurrent_predicts_share_launches_and_each_gets_its_own_units_result()
    {
        const int labscape = 1;
        var random = new Random(11);
        var requests = Enumerable.Range(0, 256)
            .Select(i => (UnitId: (long)(labscape * GalaxyTestCluster.UnitsPerLabscape + i % GalaxyTestCluster.UnitsPerLabscape),
                          Input: Reference.RandomVector(random, Inputs)))
            .ToArray();
        var before = await galaxy.Client.GetGrain<ILabscapeGrain>(labscape).GetMetrics();

        var outputs = await Task.WhenAll(requests.Select(r => galaxy.Client.GetGrain<IAiUnitGrain>(r.UnitId).Predict(r.Input)));

        for (var i = 0; i < requests.Length; i++)
        {
            var state = await galaxy.Client.GetGrain<IAiUnitGrain>(requests[i].UnitId).GetState();
            Reference.AssertClose(Reference.Predict(state, requests[i].Input), outputs[i]);
        }

        var after = await galaxy.Client.GetGrain<ILabscapeGrain>(labscape).GetMetrics();
        var rows = after.Rows - before.Rows;
        var batches = after.Batches - before.Batches;
        Assert.Equal(requests.Length, rows);
        Assert.True(batches < rows, $"{rows} rows took {batches} launches: nothing was batched");
        Assert.True(after.BatchSizeHistogram.Skip(1).Sum() > 0, "no batch held more than one row");
    }

    [Fact]
    public async Task Learning_a_linear_function_drives_the_loss_down_and_every_step_is_persisted()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(20);
        var before = await unit.GetState();
        var random = new Random(20);
        var losses = new List<float>();
        for (var step = 0; step < 150; step++)
        {
            var input = Reference.RandomVector(random, Inputs);
            var target = Enumerable.Range(0, Outputs).Select(k => 0.5f * input[k] - 0.25f * input[k + Outputs]).ToArray();
            var receipt = await unit.Learn(input, target);
            Assert.True(receipt.Applied);
            losses.Add(receipt.Loss);
        }

        Assert.True(losses.TakeLast(20).Average() < 0.5 * losses.Take(20).Average(),
            $"loss went from {losses.Take(20).Average()} to {losses.TakeLast(20).Average()}");
        await galaxy.Cluster.DeactivateAsync(unit);
        var after = await unit.GetState();
        Assert.Equal(before.Revision + 150, after.Revision);
        Assert.Equal(before.Learns + 150, after.Learns);
        Assert.NotEqual(before.Parameters, after.Parameters);
    }

    [Fact]
    public async Task A_rebuilt_labscape_computes_with_the_persisted_learned_parameters()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(26);
        var input = Reference.RandomVector(new Random(26), Inputs);
        await unit.Learn(input, [1, -1, 0.5f, 0]);
        var learned = await unit.GetState();

        await galaxy.Cluster.DeactivateAsync(galaxy.Client.GetGrain<ILabscapeGrain>(3));
        var bulk = await galaxy.Client.GetGrain<ILabscapeGrain>(3).PredictMany([26], [input], null);

        Reference.AssertClose(Reference.Predict(learned, input), bulk[0]);
        Reference.AssertClose(Reference.Predict(learned, input), await unit.Predict(input));
    }

    [Fact]
    public async Task Units_predicting_while_their_labscape_is_deactivated_again_and_again_all_get_their_answers()
    {
        // Units call their labscape's engine in the silo's memory, and a deactivation retires that engine under them:
        // a request caught between finding the engine and joining its queue asks the labscape's next engine.
        const int labscape = 2;
        var units = Enumerable.Range(0, GalaxyTestCluster.UnitsPerLabscape)
            .Select(i => galaxy.Client.GetGrain<IAiUnitGrain>(labscape * GalaxyTestCluster.UnitsPerLabscape + i)).ToArray();
        var input = Reference.RandomVector(new Random(2), Inputs);
        using var stop = new CancellationTokenSource();
        var answered = 0;

        async Task PredictUntilStoppedAsync(IAiUnitGrain unit)
        {
            while (!stop.IsCancellationRequested)
            {
                await unit.Predict(input);
                Interlocked.Increment(ref answered);
            }
        }

        var predicting = units.SelectMany(unit => Enumerable.Range(0, 4).Select(_ => Task.Run(() => PredictUntilStoppedAsync(unit)))).ToArray();
        try
        {
            for (var deactivation = 0; deactivation < 8; deactivation++)
            {
                await galaxy.Cluster.DeactivateAsync(galaxy.Client.GetGrain<ILabscapeGrain>(labscape));
                var (before, waited) = (Volatile.Read(ref answered), System.Diagnostics.Stopwatch.StartNew());
                // Each deactivation lands while requests flow: wait for some answers from the engine that replaced it.
                while (Volatile.Read(ref answered) < before + 64 && !predicting.Any(task => task.IsFaulted))
                {
                    Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"no answers for a minute after deactivation {deactivation + 1}");
                    await Task.Delay(5);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(predicting);
    }

    [Fact]
    public async Task A_bulk_predict_equals_the_units_own_predictions()
    {
        long[] units = [16, 17, 23, 16];
        var random = new Random(16);
        var inputs = units.Select(_ => Reference.RandomVector(random, Inputs)).ToArray();

        var bulk = await galaxy.Client.GetGrain<ILabscapeGrain>(2).PredictMany(units, inputs, null);

        for (var i = 0; i < units.Length; i++)
        {
            var own = await galaxy.Client.GetGrain<IAiUnitGrain>(units[i]).Predict(inputs[i]);
            Assert.Equal(own, bulk[i]);
        }
    }

    [Fact]
    public async Task The_tick_runs_every_unit_of_the_galaxy()
    {
        var input = Reference.RandomVector(new Random(7), Inputs);

        var tick = await galaxy.Client.GetGrain<IGalaxyGrain>(0).Tick(input);

        Assert.Equal(GalaxyTestCluster.Labscapes * GalaxyTestCluster.UnitsPerLabscape, tick.Units);
        Assert.Equal(GalaxyTestCluster.Labscapes, tick.Labscapes);
        Assert.True(double.IsFinite(tick.OutputSum) && tick.OutputSum != 0);
    }

    [Fact]
    public async Task Reset_restores_the_seeded_weights_as_a_new_revision()
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(30);
        var seeded = await unit.GetState();
        await unit.Learn(Reference.RandomVector(new Random(30), Inputs), [1, 1, 1, 1]);

        var reset = await unit.Reset();

        Assert.Equal(seeded.Parameters, reset.Parameters);
        Assert.Equal(seeded.Revision + 2, reset.Revision);
        var input = Reference.RandomVector(new Random(31), Inputs);
        Reference.AssertClose(Reference.Predict(seeded, input), await unit.Predict(input));
    }

    [Theory]
    [InlineData(15, 4, float.NaN)]
    [InlineData(17, 4, 0f)]
    [InlineData(16, 4, float.PositiveInfinity)]
    [InlineData(16, 3, 0f)]
    public async Task Wrong_lengths_and_non_finite_values_are_refused_and_change_nothing(int inputLength, int targetLength, float poison)
    {
        var unit = galaxy.Client.GetGrain<IAiUnitGrain>(31);
        var before = await unit.GetState();
        var input = new float[inputLength];
        input[0] = poison;

        await Assert.ThrowsAsync<InvalidUnitInputException>(() => unit.Learn(input, new float[targetLength]));
        if (inputLength != Inputs || !float.IsFinite(poison))
        {
            await Assert.ThrowsAsync<InvalidUnitInputException>(() => unit.Predict(input));
        }

        var after = await unit.GetState();
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(before.Parameters, after.Parameters);
    }
}
