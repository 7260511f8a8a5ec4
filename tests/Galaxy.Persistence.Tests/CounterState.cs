namespace Galaxy.Persistence.Tests;

/// <summary>A small state with a payload of unit-state size: a sequence number the tests can trace, and 340 floats.</summary>
[GenerateSerializer, Alias("galaxy.tests.counter-state")]
public sealed record CounterState
{
    [Id(0)] public long Sequence { get; init; }

    [Id(1)] public float[] Values { get; init; } = [];

    public static CounterState Of(long sequence) =>
        new() { Sequence = sequence, Values = Enumerable.Range(0, 340).Select(i => (float)(sequence + i)).ToArray() };
}
