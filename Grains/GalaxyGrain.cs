using System.Diagnostics;

namespace Galaxy.Grains;

/// <summary>The galaxy-wide entry point: answers from the silo's configuration, so it is stateless.</summary>
[StatelessWorker]
public sealed class GalaxyGrain(GalaxyTopology topology) : Grain, IGalaxyGrain
{
    public Task<GalaxyTopology> GetTopology() => Task.FromResult(topology);

    public async Task<GalaxyTickSummary> Tick(float[] input)
    {
        UnitInput.EnsureValid(input, input.Length, "input");
        var started = Stopwatch.GetTimestamp();
        var labscapes = await Task.WhenAll(Enumerable.Range(0, topology.Labscapes)
            .Select(id => GrainFactory.GetLabscape(id).Tick(input)));
        if (labscapes.All(labscape => labscape.Units == 0))
        {
            throw new InvalidUnitInputException($"No unit's model takes {input.Length} inputs: every labscape skipped the tick.");
        }

        return new GalaxyTickSummary(
            labscapes.Sum(l => (long)l.Units),
            labscapes.Length,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            labscapes.Sum(l => l.KernelMilliseconds),
            labscapes.Max(l => l.KernelMilliseconds),
            labscapes.Sum(l => l.OutputSum))
        {
            Skipped = labscapes.Sum(l => (long)l.Skipped),
        };
    }
}
