using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>
/// A labscape's engine in memory: its units' requests at their revisions, learn steps and restores, and switches of
/// what it serves that keep every unit's own weights.
/// </summary>
public sealed class LabscapeEngineTests
{
    private const long FirstUnit = 32;
    private const int Units = 16;

    [Fact]
    public async Task A_unit_at_its_revision_is_answered_with_its_weights_and_one_at_another_is_told_stale()
    {
        var own = Served.Seeded(77);
        var persisted = new UnitState { UnitId = FirstUnit + 1, Revision = 4 }
            .WithOwn(new OwnWeights(LabscapeServing.InitialVersion, Served.Shape, own), null);
        await using var engine = await CreateAsync(LabscapeServing.Initial, persisted);
        var input = Tables.Input(1);

        var answered = await engine.PredictAsync(1, 4, input, null).Within();
        var stale = await engine.PredictAsync(1, 3, input, null).Within();
        var seeded = await engine.PredictAsync(0, 0, input, null).Within();

        Assert.False(answered.Stale);
        Assert.Equal(await Served.ForwardWithAsync(own, input), answered.Value!.Output);
        Assert.Equal(LabscapeServing.InitialVersion, answered.Value.Version);
        Assert.True(stale.Stale);
        Assert.Equal(await Served.ForwardWithAsync(Served.Seeded(FirstUnit), input), seeded.Value!.Output);
        Assert.True(engine.IsLive);
        Assert.Equal(0, engine.QueueLength);
    }

    [Fact]
    public async Task Bad_inputs_and_targets_are_refused_before_they_reach_a_batch()
    {
        await using var engine = await CreateAsync(LabscapeServing.Initial);

        var input = await Assert.ThrowsAsync<InvalidUnitInputException>(() => engine.PredictAsync(0, 0, [1, 2], null));
        var target = await Assert.ThrowsAsync<InvalidUnitInputException>(() => engine.LearnAsync(0, 0, Tables.Input(1), [float.NaN, 0], null));
        var many = await Assert.ThrowsAsync<InvalidUnitInputException>(() => engine.PredictManyAsync([0, 3], [Tables.Input(1), [1]], null));

        Assert.Equal("The input must hold 4 values, not 2.", input.Message);
        Assert.Equal("The target's value 0 is NaN: every value must be finite.", target.Message);
        Assert.Equal($"The input of unit {FirstUnit + 3} must hold 4 values, not 1.", many.Message);
    }

    [Fact]
    public async Task A_learn_moves_the_unit_to_its_next_revision_with_its_new_weights()
    {
        var metrics = new BatchMetrics(0);
        await using var engine = await CreateAsync(LabscapeServing.Initial, metrics: metrics);
        var input = Tables.Input(2);

        var outcome = (await engine.LearnAsync(2, 0, input, [1, -1], null).Within()).Value!;

        Assert.True(outcome.Applied);
        Assert.Equal(LabscapeServing.InitialVersion, outcome.Version);
        Assert.Equal(await Served.StepFromAsync(Served.Seeded(FirstUnit + 2), input, [1, -1], Served.Learn), outcome.Own!.Parameters);
        Assert.Null(outcome.Dormant);
        Assert.True((await engine.PredictAsync(2, 0, input, null)).Stale);
        Assert.True((await engine.LearnAsync(2, 0, input, [1, -1], null)).Stale);
        var described = (await engine.DescribeAsync(2, 1)).Value!;
        Assert.True(described.OwnWeights);
        Assert.Equal(outcome.Own.Parameters, described.Parameters);
        Assert.Equal(1, metrics.Snapshot(engine.QueueLength, "simd").Learns);
    }

    [Fact]
    public async Task A_refused_step_leaves_the_unit_at_its_revision_without_weights_of_its_own()
    {
        var version = Served.Version(3);
        var reckless = Served.Learn with { LearningRate = 1e30f, GradientClip = 0 };
        await using var engine = await CreateAsync(new LabscapeServing(version, null, 0, "deploy-1"), learn: reckless);

        var outcome = (await engine.LearnAsync(5, 0, Tables.Input(5), [1e30f, -1e30f], null).Within()).Value!;

        Assert.False(outcome.Applied);
        Assert.Null(outcome.Own);
        var described = await engine.DescribeAsync(5, 0);
        Assert.False(described.Stale);
        Assert.False(described.Value!.OwnWeights);
        Assert.Equal(Served.WeightsOf(version).Parameters, described.Value.Parameters);
    }

    [Fact]
    public async Task A_sync_makes_the_durable_weights_the_engines_at_the_durable_revision()
    {
        await using var engine = await CreateAsync(LabscapeServing.Initial);
        var durable = Served.Seeded(55);
        var input = Tables.Input(3);

        await engine.SyncAsync(3, 7, new OwnWeights(LabscapeServing.InitialVersion, Served.Shape, durable), null);

        Assert.True((await engine.PredictAsync(3, 0, input, null)).Stale);
        Assert.Equal(await Served.ForwardWithAsync(durable, input), (await engine.PredictAsync(3, 7, input, null).Within()).Value!.Output);

        await engine.SyncAsync(3, 8, null, null);

        Assert.Equal(Served.Seeded(FirstUnit + 3), (await engine.DescribeAsync(3, 8)).Value!.Parameters);
    }

    [Fact]
    public async Task A_switch_of_version_keeps_what_a_unit_learned_dormant_and_a_switch_back_serves_it_again()
    {
        var version = Served.Version(3);
        await using var engine = await CreateAsync(LabscapeServing.Initial);
        var onInitial = (await engine.LearnAsync(1, 0, Tables.Input(1), [1, 0], null)).Value!.Own!;
        var serving = new LabscapeServing(version, null, 0, "deploy-1");

        await engine.ServeAsync(serving);

        Assert.Same(serving, engine.Serving);
        var onVersion = (await engine.DescribeAsync(1, 1)).Value!;
        Assert.Equal(("digits:3", false), (onVersion.Version, onVersion.OwnWeights));
        Assert.Equal(Served.WeightsOf(version).Parameters, onVersion.Parameters);
        var learned = (await engine.LearnAsync(1, 1, Tables.Input(1), [0, 1], null)).Value!;
        Assert.Equal("digits:3", learned.Own!.Version);
        Assert.Equal(onInitial.Parameters, learned.Dormant!.Parameters);

        await engine.ServeAsync(LabscapeServing.Initial);

        var back = (await engine.DescribeAsync(1, 2)).Value!;
        Assert.Equal((LabscapeServing.InitialVersion, true), (back.Version, back.OwnWeights));
        Assert.Equal(onInitial.Parameters, back.Parameters);
    }

    [Fact]
    public async Task A_canary_answers_its_share_of_the_units_and_many_predicts_go_each_to_its_units_model()
    {
        var serving = new LabscapeServing(Served.Version(3), Served.Version(4), 5_000, "deploy-1");
        await using var engine = await CreateAsync(serving);
        var slots = Enumerable.Range(0, Units).ToArray();
        var inputs = slots.Select(slot => Tables.Input(slot)).ToArray();

        var single = new List<ServedOutput>();
        foreach (var slot in slots)
        {
            single.Add((await engine.PredictAsync(slot, 0, inputs[slot], null).Within()).Value!);
        }

        var many = await engine.PredictManyAsync(slots, inputs, null).Within();

        var onCanary = serving.CanarySlots(FirstUnit, Units);
        Assert.Equal(slots.Select(slot => onCanary[slot] ? "digits:4" : "digits:3"), single.Select(output => output.Version));
        Assert.Contains("digits:4", single.Select(output => output.Version));
        Assert.Contains("digits:3", single.Select(output => output.Version));
        Assert.Equal(single.Select(output => output.Output), many);
    }

    [Fact]
    public async Task A_tick_computes_the_units_whose_model_takes_the_input_and_skips_the_others()
    {
        var wide = Served.Version(5, shape: new ModelShape(8, 3, 2));
        var serving = new LabscapeServing(Served.Version(3), wide, 5_000, "deploy-1");
        await using var engine = await CreateAsync(serving);
        var canaries = serving.CanarySlots(FirstUnit, Units).Count(onCanary => onCanary);

        var tick = await engine.TickAsync(Tables.Input(1)).Within();

        Assert.Equal(Units - canaries, tick.Units);
        Assert.Equal(canaries, tick.Skipped);
        var shared = await Served.ForwardWithAsync(Served.WeightsOf(Served.Version(3)).Parameters, Served.Standardised(Tables.Input(1)));
        Assert.Equal((Units - canaries) * shared.Sum(value => (double)value), tick.OutputSum, precision: 4);
    }

    [Fact]
    public async Task A_disposed_engine_is_no_longer_live_and_refuses_requests_that_reach_it_late()
    {
        var engine = await CreateAsync(LabscapeServing.Initial);

        await engine.DisposeAsync();

        // A unit that looked the engine up just before its labscape deactivated: told so, rather than retried forever.
        Assert.False(engine.IsLive);
        await Assert.ThrowsAsync<BatcherRetiredException>(() => Task.Run(() => engine.PredictAsync(0, 0, Tables.Input(0), null)).Within());
        await Assert.ThrowsAsync<BatcherRetiredException>(() => Task.Run(() => engine.DescribeAsync(0, 0)).Within());
        await Assert.ThrowsAsync<BatcherRetiredException>(() => Task.Run(() => engine.PredictManyAsync([0], [Tables.Input(0)], null)).Within());
        await Assert.ThrowsAsync<BatcherRetiredException>(() => Task.Run(() => engine.TickAsync(Tables.Input(0))).Within());
    }

    private static Task<LabscapeEngine> CreateAsync(
        LabscapeServing serving, UnitState? persisted = null, LearnSpec? learn = null, BatchMetrics? metrics = null) =>
        LabscapeEngine.CreateAsync(
            new EngineParts(Tables.Backend, Served.Shape, learn ?? Served.Learn, Served.Batching, Served.Cache(), metrics ?? new BatchMetrics(0)),
            FirstUnit,
            Units,
            serving,
            persisted is null ? [] : [persisted]);
}
