using System.Diagnostics;
using Galaxy.Grains;
using Galaxy.Silo.Seeding;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench galaxy [--labscapes N]</c>: the full galaxy in one silo. Seeds every unit, activates as many empty
/// grains in a silo of their own (the floor), activates every unit, measures memory per unit, checkpoints every unit's
/// state, restarts the silo and loads them all again cold, and ticks the whole galaxy through the grains.
/// </summary>
public sealed class GalaxyBenchmark : IBenchmark
{
    public const int UnitsPerLabscape = 4096;
    private const int Concurrency = 2048;

    public string Name => "galaxy";

    public string Description => "seed, activate, checkpoint and cold-load all 1,048,576 units in one silo; bytes per unit";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var labscapes = BenchArguments.Option(args, "--labscapes", 256);
        var topology = new GalaxyTopology(labscapes, UnitsPerLabscape, new ModelShape(16, 16, 4));
        var units = topology.UnitCount;
        await using var database = await TestDatabase.CreateAsync();

        var seeding = Stopwatch.StartNew();
        await SeedAsync(database.ConnectionString, topology, cancellationToken);
        report.Record("galaxy.seed_s", seeding.Elapsed.TotalSeconds, "s", $"{units:N0} units written by COPY, past the grains");

        var settings = TopologySettings(topology);
        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "galaxy-empty", settings))
        {
            var empty = await ForEveryUnitAsync(units, id => silo.Grains.GetGrain<IEmptyGrain>(id).Ping(), cancellationToken);
            report.Record("galaxy.activate_empty_s", empty.Seconds, "s", $"{units:N0} empty grains activated in a silo of their own, concurrency {Concurrency}: the floor");
        }

        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "galaxy-1", settings))
        {
            var baseline = Memory.Measure();
            var activation = await ForEveryUnitAsync(units, id => silo.Grains.GetUnit(id).GetState(), cancellationToken);
            var active = Memory.Measure();
            report.Record("galaxy.activate_s", activation.Seconds, "s", $"{units:N0} units activated with their state, concurrency {Concurrency}");
            report.Record("galaxy.activate_gc_pause_s", activation.GcPauseSeconds, "s", "of which the runtime was paused for garbage collection");
            report.Record("galaxy.activations_per_s", units / activation.Seconds, "1/s", "");
            report.Record("galaxy.activate_vs_empty", activation.Seconds / report.Value("galaxy.activate_empty_s"), "ratio",
                "units with their state over as many empty grains, in the same run");
            report.Record("galaxy.bytes_per_unit", (active.HeapBytes - baseline.HeapBytes) / (double)units, "B",
                $"managed heap after a full GC, per unit; the unit's own weights are {topology.Architecture.ParameterCount * sizeof(float)} B");
            report.Record("galaxy.working_set_per_unit", (active.WorkingSetBytes - baseline.WorkingSetBytes) / (double)units, "B",
                "process working set per unit, labscape tables included");

            var tick = Stopwatch.StartNew();
            var summary = await silo.Grains.GetGrain<IGalaxyGrain>(0).Tick(new float[16]);
            Console.WriteLine($"first tick (labscape tables built): {tick.Elapsed.TotalSeconds:F1} s");
            var ticks = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                summary = await silo.Grains.GetGrain<IGalaxyGrain>(0).Tick(new float[16]);
                ticks.Add(summary.WallMilliseconds);
            }

            ticks.Sort();
            report.Record("galaxy.tick_ms", ticks[ticks.Count / 2], "ms", $"median of 5: {summary.Units:N0} forward passes through the grains");

            var checkpoint = await ForEveryUnitAsync(units, id => silo.Grains.GetUnit(id).Checkpoint(), cancellationToken);
            report.Record("galaxy.checkpoint_s", checkpoint.Seconds, "s", $"every unit's state written through group commit, concurrency {Concurrency}");
            report.Record("galaxy.checkpoint_gc_pause_s", checkpoint.GcPauseSeconds, "s", "of which the runtime was paused for garbage collection");
        }

        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "galaxy-2", settings))
        {
            var coldLoad = await ForEveryUnitAsync(units, id => silo.Grains.GetUnit(id).GetState(), cancellationToken);
            report.Record("galaxy.cold_load_s", coldLoad.Seconds, "s", "a new silo: every unit active again with its checkpointed state");
            report.Record("galaxy.cold_load_gc_pause_s", coldLoad.GcPauseSeconds, "s", "of which the runtime was paused for garbage collection");
        }
    }

    /// <summary>Every unit's and labscape's initial state, written by COPY as <c>./galaxy seed</c> does.</summary>
    public static async Task SeedAsync(string connectionString, GalaxyTopology topology, CancellationToken cancellationToken)
    {
        await using var seeder = new GalaxySeeder(connectionString, BenchSilo.ServiceId, topology, new BatchingOptions().ToSettings(), TimeProvider.System);
        await Parallel.ForEachAsync(Enumerable.Range(0, topology.Labscapes), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (labscape, token) => await seeder.SeedLabscapeAsync(labscape, token));
    }

    public static Dictionary<string, string?> TopologySettings(GalaxyTopology topology) => new()
    {
        ["Galaxy:Topology:Labscapes"] = topology.Labscapes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Galaxy:Topology:UnitsPerLabscape"] = topology.UnitsPerLabscape.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Calls <paramref name="call"/> for every unit, <see cref="Concurrency"/> at a time.</summary>
    public static async Task<Phase> ForEveryUnitAsync(long units, Func<long, Task> call, CancellationToken cancellationToken)
    {
        var next = -1L;
        var started = Stopwatch.GetTimestamp();
        var pausedBefore = GC.GetTotalPauseDuration();
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var id = Interlocked.Increment(ref next); id < units && !cancellationToken.IsCancellationRequested; id = Interlocked.Increment(ref next))
            {
                await call(id);
                if (id % 131_072 == 0)
                {
                    Console.WriteLine($"  {id:N0} units, {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
                }
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return new Phase(Stopwatch.GetElapsedTime(started).TotalSeconds, (GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds);
    }

    /// <summary>A pass over every unit: its wall time, and how much of it the runtime spent stopped for garbage collection.</summary>
    public readonly record struct Phase(double Seconds, double GcPauseSeconds);

    private readonly record struct Memory(long HeapBytes, long WorkingSetBytes)
    {
        public static Memory Measure()
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            return new Memory(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
        }
    }
}
