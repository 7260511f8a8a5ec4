namespace Galaxy.Persistence.Tests;

internal static class GrainStateExtensions
{
    /// <summary>The state after a read, write or clear: never null, whatever the type's annotations say.</summary>
    public static CounterState Counter(this IGrainState<CounterState> grainState) => Assert.IsType<CounterState>(grainState.State);
}
