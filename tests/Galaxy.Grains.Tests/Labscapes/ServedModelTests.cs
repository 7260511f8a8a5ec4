using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>
/// One served model: the initial one (a row per unit, seeded from its id) or a registry version (one shared row, and a
/// private copy for each unit that learns), answering on standardised inputs.
/// </summary>
public sealed class ServedModelTests
{
    private const long FirstUnit = 100;

    [Fact]
    public async Task The_initial_model_serves_each_unit_its_seeded_weights_or_those_it_learned()
    {
        var learned = Served.Seeded(99);
        await using var model = await InitialAsync(units: 4, new Dictionary<int, float[]> { [2] = learned });
        var input = Tables.Input(1);

        Assert.Equal(LabscapeServing.InitialVersion, model.Version);
        Assert.True(model.PerUnit);
        Assert.Equal(Served.Seeded(FirstUnit), await model.WeightsAsync(0));
        Assert.Equal(learned, await model.WeightsAsync(2));
        Assert.False(model.HasOwnRow(0));
        Assert.True(model.HasOwnRow(2));
        Assert.Equal(1, model.PrivateRows);
        Assert.Equal(await Served.ForwardWithAsync(Served.Seeded(FirstUnit + 1), input), await model.PredictAsync(1, input, null).Within());
    }

    [Fact]
    public async Task An_initial_model_larger_than_one_load_has_every_row_in_its_place()
    {
        // 600 units: loaded in slices of 256, the last one partial; learned weights in the first, a middle and the last slice.
        var learned = new Dictionary<int, float[]> { [0] = Served.Seeded(97), [300] = Served.Seeded(98), [599] = Served.Seeded(99) };
        await using var model = await InitialAsync(units: 600, learned);

        foreach (var slot in new[] { 0, 1, 255, 256, 300, 511, 512, 598, 599 })
        {
            Assert.Equal(learned.TryGetValue(slot, out var own) ? own : Served.Seeded(FirstUnit + slot), await model.WeightsAsync(slot));
        }
    }

    [Fact]
    public async Task A_version_answers_units_without_their_own_weights_with_its_shared_weights_on_standardised_inputs()
    {
        var version = Served.Version(3);
        await using var model = await VersionAsync(version, units: 40);
        var shared = Served.WeightsOf(version).Parameters;
        float[][] raw = [Tables.Input(1), Tables.Input(2)];

        Assert.Equal("digits:3", model.Version);
        Assert.False(model.PerUnit);
        Assert.Equal(0, model.PrivateRows);
        Assert.Equal(shared, await model.WeightsAsync(5));
        Assert.Equal(await Served.ForwardWithAsync(shared, Served.Standardised(raw[0])), await model.PredictAsync(5, raw[0], null).Within());
        var many = await model.PredictManyAsync([7, 9], raw, null).Within();
        Assert.Equal(await Served.ForwardWithAsync(shared, Served.Standardised(raw[1])), many[1]);
    }

    [Fact]
    public async Task A_unit_that_learns_on_a_version_learns_on_a_private_copy_of_the_shared_weights()
    {
        var version = Served.Version(3);
        await using var model = await VersionAsync(version, units: 40);
        var shared = Served.WeightsOf(version).Parameters;
        var input = Tables.Input(2);

        var learned = await model.LearnAsync(5, input, [1, -1], null).Within();

        Assert.True(learned.Applied);
        Assert.Equal(await Served.StepFromAsync(shared, Served.Standardised(input), [1, -1], Served.Learn), learned.Parameters);
        Assert.Equal(learned.Parameters, await model.WeightsAsync(5));
        Assert.Equal(shared, await model.WeightsAsync(6));
        Assert.True(model.HasOwnRow(5));
        Assert.Equal(1, model.PrivateRows);
    }

    [Fact]
    public async Task The_table_grows_as_units_take_private_rows_and_keeps_every_row()
    {
        var version = Served.Version(3);
        await using var model = await VersionAsync(version, units: 40);
        var learned = new Dictionary<int, float[]>();

        // The first table holds 16 rows, the shared one included: the 16th learner makes it grow.
        for (var slot = 0; slot < 20; slot++)
        {
            learned[slot] = (await model.LearnAsync(slot, Tables.Input(slot), [1, 0], null).Within()).Parameters;
        }

        Assert.Equal(20, model.PrivateRows);
        foreach (var (slot, weights) in learned)
        {
            Assert.Equal(weights, await model.WeightsAsync(slot));
        }

        Assert.Equal(Served.WeightsOf(version).Parameters, await model.WeightsAsync(30));
    }

    [Fact]
    public async Task A_version_built_with_units_own_weights_serves_them_from_private_rows()
    {
        var version = Served.Version(3);
        var own = Enumerable.Range(0, 20).ToDictionary(slot => slot, slot => Served.Seeded(500 + slot));
        await using var model = await VersionAsync(version, units: 40, own);

        Assert.Equal(20, model.PrivateRows);
        Assert.Equal(own[19], await model.WeightsAsync(19));
        var learned = await model.LearnAsync(25, Tables.Input(1), [0, 1], null).Within();
        Assert.Equal(learned.Parameters, await model.WeightsAsync(25));
        Assert.Equal(own[0], await model.WeightsAsync(0));
    }

    [Fact]
    public async Task A_unit_giving_up_its_weights_on_a_version_goes_back_to_the_shared_row()
    {
        var version = Served.Version(3);
        await using var model = await VersionAsync(version, units: 40);
        var restored = Served.Seeded(7);

        await model.SetOwnAsync(5, restored);
        Assert.Equal(restored, await model.WeightsAsync(5));
        Assert.True(model.HasOwnRow(5));

        await model.SetOwnAsync(5, null);
        Assert.Equal(Served.WeightsOf(version).Parameters, await model.WeightsAsync(5));
        Assert.False(model.HasOwnRow(5));
        Assert.Equal(0, model.PrivateRows);

        // Its freed row is taken by the next unit to learn, which starts from the shared weights, not the old ones.
        var learned = await model.LearnAsync(6, Tables.Input(3), [1, 1], null).Within();
        var fromShared = await Served.StepFromAsync(Served.WeightsOf(version).Parameters, Served.Standardised(Tables.Input(3)), [1, 1], Served.Learn);
        Assert.Equal(fromShared, learned.Parameters);
    }

    [Fact]
    public async Task A_unit_giving_up_its_weights_on_the_initial_model_goes_back_to_its_seeded_weights()
    {
        await using var model = await InitialAsync(units: 4, new Dictionary<int, float[]>());
        var restored = Served.Seeded(99);

        await model.SetOwnAsync(1, restored);
        Assert.Equal(restored, await model.WeightsAsync(1));
        Assert.True(model.HasOwnRow(1));

        await model.SetOwnAsync(1, null);
        Assert.Equal(Served.Seeded(FirstUnit + 1), await model.WeightsAsync(1));
        Assert.False(model.HasOwnRow(1));
    }

    [Fact]
    public async Task A_tick_of_every_unit_of_the_initial_model_sums_every_units_outputs()
    {
        await using var model = await InitialAsync(units: 4, new Dictionary<int, float[]>());
        var input = Tables.Input(2);
        double expected = 0;
        for (var slot = 0; slot < 4; slot++)
        {
            expected += (await Served.ForwardWithAsync(Served.Seeded(FirstUnit + slot), input)).Sum(value => (double)value);
        }

        var first = await model.TickAsync([0, 1, 2, 3], input);
        var second = await model.TickAsync([0, 1, 2, 3], input);

        Assert.Equal(expected, first, precision: 5);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_tick_of_some_units_sums_their_outputs_with_the_weights_each_computes_with()
    {
        var version = Served.Version(3);
        var own = Served.Seeded(42);
        await using var model = await VersionAsync(version, units: 40, new Dictionary<int, float[]> { [1] = own });
        var input = Tables.Input(2);
        var x = Served.Standardised(input);

        var sum = await model.TickAsync([1, 2, 3], input);

        var expected = (await Served.ForwardWithAsync(own, x)).Sum(value => (double)value)
            + (2 * (await Served.ForwardWithAsync(Served.WeightsOf(version).Parameters, x)).Sum(value => (double)value));
        Assert.Equal(expected, sum, precision: 5);
    }

    [Fact]
    public async Task An_int8_version_answers_from_quantised_rows_and_learns_on_float_masters()
    {
        var version = Served.Version(4, int8: true);
        await using var model = await VersionAsync(version, units: 40);
        var shared = Served.WeightsOf(version).Parameters;
        var input = Tables.Input(1);

        var answer = await model.PredictAsync(2, input, null).Within();
        var learned = await model.LearnAsync(2, input, [1, -1], null).Within();

        var exact = await Served.ForwardWithAsync(shared, Served.Standardised(input));
        Assert.All(answer.Zip(exact), pair => Assert.Equal(pair.Second, pair.First, tolerance: 0.05));
        Assert.Equal(await Served.StepFromAsync(shared, Served.Standardised(input), [1, -1], Served.Learn), learned.Parameters);
        Assert.Equal(learned.Parameters, await model.WeightsAsync(2));
    }

    [Fact]
    public async Task A_disposed_model_refuses_requests_and_table_reads_with_the_retired_error()
    {
        var model = await InitialAsync(units: 2, new Dictionary<int, float[]>());

        await model.DisposeAsync();

        BatcherFor.RefusedAtOnce<BatcherRetiredException>(() => model.PredictAsync(0, Tables.Input(0), null));
        await Assert.ThrowsAsync<BatcherRetiredException>(() => model.WeightsAsync(0));
    }

    private static Task<ServedModel> InitialAsync(int units, Dictionary<int, float[]> own) =>
        ServedModel.InitialAsync(Tables.Backend, Tables.Architecture, Served.Learn, FirstUnit, units, own, Served.Batching, new BatchMetrics(0));

    private static async Task<ServedModel> VersionAsync(ServedVersion version, int units, Dictionary<int, float[]>? own = null) =>
        await ServedModel.VersionAsync(
            Tables.Backend, version, Served.WeightsOf(version), Served.Learn, FirstUnit, units, own ?? new Dictionary<int, float[]>(), Served.Batching,
            new BatchMetrics(0));
}
