using System.Diagnostics;
using Galaxy.Bench;

namespace Galaxy.Operations.Tests;

/// <summary>
/// The counters that <c>./galaxy bench gateway</c> prints beside each round's latency read what another process's
/// runtime publishes, so that a round's tail shows its cause (issue #21). Read here from this process over the same
/// EventPipe session, as the benchmark reads the gateway's.
/// </summary>
public sealed class RuntimeCountersTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_process_s_counters_carry_its_collections_and_the_time_they_paused_it()
    {
        await using var counters = new ProcessRuntimeCounters(Environment.ProcessId);
        var from = Stopwatch.GetTimestamp();
        var waited = Stopwatch.StartNew();
        RuntimeFigures figures;
        do
        {
            // The counters arrive once a second: collect until an interval with collections in it has come in.
            Collect();
            await Task.Delay(100);
            figures = counters.Between(from, Stopwatch.GetTimestamp());
        }
        while (figures.GcPauseMs == 0 && waited.Elapsed < Bound);

        Assert.True(figures.Collections > 0, $"no collection counted: {figures}");
        Assert.True(figures.GcPauseMs > 0, $"collections counted without their pause: {figures}");
    }

    private static void Collect()
    {
        var survivors = new List<byte[]>();
        for (var i = 0; i < 1_000; i++)
        {
            survivors.Add(new byte[1_000]);
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.KeepAlive(survivors);
    }
}
