using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>A unit whose labscape lives on another silo asks it through the labscape's grain, with the same arguments and answers.</summary>
public sealed class RemoteEngineTests
{
    [Fact]
    public async Task Every_request_reaches_the_labscape_grain_unchanged_and_its_answer_comes_back()
    {
        float[] input = [1, 2, 3, 4];
        float[] target = [0, 1];
        var timeout = TimeSpan.FromSeconds(2);
        var own = new OwnWeights("digits:3", Served.Shape, [1, 2]);
        var predicted = EngineReply<ServedOutput>.Of(new ServedOutput([0.5f, 0.5f], "digits:3"));
        var learned = EngineReply<LearnOutcome>.Of(new LearnOutcome(true, 0.25f, "digits:3", own, null));
        var described = EngineReply<UnitServing>.StaleReply;
        var arguments = new List<object?[]>();
        var labscape = Stand.Of<ILabscapeEngineGrain>(
            ("Predict", args => Answer(args, predicted)),
            ("Learn", args => Answer(args, learned)),
            ("Describe", args => Answer(args, described)),
            ("Sync", args =>
            {
                arguments.Add(args);
                return Task.CompletedTask;
            }));
        var engine = new RemoteEngine(labscape);

        Assert.True(engine.IsLive);
        Assert.Same(predicted, await engine.PredictAsync(3, 7, input, timeout));
        Assert.Same(learned, await engine.LearnAsync(3, 7, input, target, timeout));
        Assert.Same(described, await engine.DescribeAsync(3, 7));
        await engine.SyncAsync(3, 8, own, null);

        Assert.Equal(new[] { "Predict", "Learn", "Describe", "Sync" }, Stand.Behind(labscape).Calls);
        Assert.Equal(new object?[] { 3, 7L, input, timeout }, arguments[0]);
        Assert.Equal(new object?[] { 3, 7L, input, target, timeout }, arguments[1]);
        Assert.Equal(new object?[] { 3, 7L }, arguments[2]);
        Assert.Equal(new object?[] { 3, 8L, own, null }, arguments[3]);

        Task<T> Answer<T>(object?[] args, T answer)
        {
            arguments.Add(args);
            return Task.FromResult(answer);
        }
    }
}
