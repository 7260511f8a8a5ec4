using System.Diagnostics;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// Kills a silo abruptly (no graceful shutdown, no deactivation) while every unit is learning, then holds the cluster
/// to its promise: every unit serves again from the surviving silo, and no acknowledged learn is missing.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private const int Units = GalaxyTestCluster.Labscapes * GalaxyTestCluster.UnitsPerLabscape;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly GalaxyTestCluster _galaxy = new();

    public Task InitializeAsync() => _galaxy.InitializeAsync();

    public Task DisposeAsync() => _galaxy.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_mid_load_loses_no_acknowledged_learn_and_its_units_serve_again()
    {
        var acknowledged = new long[Units];
        var attempted = new long[Units];
        var servedAfterKill = new bool[Units];
        var killed = false;
        using var stop = new CancellationTokenSource(Bound);
        var input = Reference.RandomVector(new Random(1), 16);
        float[] target = [0.5f, -0.5f, 0.25f, 0];

        // One caller per unit, so each unit's learns are sequential and the ledger is exact: a learn that answered is
        // acknowledged; one that failed may or may not have been applied (its answer may be what was lost).
        var workers = Enumerable.Range(0, Units).Select(unit => Task.Run(async () =>
        {
            var grain = _galaxy.Client.GetGrain<IAiUnitGrain>(unit);
            while (!stop.IsCancellationRequested)
            {
                attempted[unit]++;
                try
                {
                    await grain.Learn(input, target);
                    acknowledged[unit]++;
                    servedAfterKill[unit] |= Volatile.Read(ref killed);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => acknowledged.All(count => count >= 3), "every unit learning before the kill");
        await _galaxy.Cluster.KillSiloAsync(_galaxy.Cluster.SecondarySilos[0]);
        Volatile.Write(ref killed, true);
        await WaitUntilAsync(() => servedAfterKill.All(served => served), "every unit serving again after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (var unit = 0; unit < Units; unit++)
        {
            var state = await _galaxy.Client.GetGrain<IAiUnitGrain>(unit).GetState();
            Assert.InRange(state.Learns, acknowledged[unit], attempted[unit]);
            Assert.Equal(state.Learns, state.Revision);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Bound, $"gave up waiting for {what} after {Bound.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
