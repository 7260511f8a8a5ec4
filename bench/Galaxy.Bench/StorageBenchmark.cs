using System.Diagnostics;
using Galaxy.Grains;
using Galaxy.Persistence.GroupCommit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench storage</c>: Orleans's ADO.NET grain storage and Galaxy's group-commit storage side by side on one
/// fresh database, with the same unit state (340 floats) and the same rows. Both are driven directly through
/// <see cref="IGrainStorage"/>, as a silo's <c>IPersistentState</c> drives them, without grains or a silo: per provider,
/// every unit is read once (what its activation does), then the units write (one learn step each) for a fixed time at
/// concurrency 64 and 1,024, each write timed until it is acknowledged.
/// </summary>
public sealed class StorageBenchmark : IBenchmark
{
    private const int Units = 65_536;
    private const int ReadConcurrency = 64;
    private const int WarmUpReads = 2048;

    // The targets' figure: writes/s at this concurrency is reported without a suffix.
    private const int HeadlineConcurrency = 1024;
    private static readonly int[] WriteConcurrencies = [64, HeadlineConcurrency];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(5);
    private static readonly GrainType UnitGrainType = GrainType.Create("aiunit");

    public string Name => "storage";

    public string Description => "acknowledged unit-state writes and reads: stock ADO.NET provider vs group commit";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var providers = await Providers.StartAsync(database.ConnectionString);
        var units = await SeedAsync(providers.GroupCommit, cancellationToken);
        report.Record("storage.payload_bytes", providers.Serializer.SerializeToArray(units[0].State).Length, "B", "one unit's state, Orleans binary");

        foreach (var (label, storage) in new[] { ("stock", providers.Stock), ("group_commit", providers.GroupCommit) })
        {
            report.Record($"storage.{label}_reads_per_s", await ReadAllAsync(storage, units, cancellationToken), "reads/s",
                $"activation reads, concurrency {ReadConcurrency}");
            foreach (var concurrency in WriteConcurrencies)
            {
                var learn = Learn(storage, units, concurrency);
                await ClosedLoop.RunAsync(concurrency, WarmUp, learn, cancellationToken);
                var figures = await ClosedLoop.RunAsync(concurrency, Measured, learn, cancellationToken);
                if (figures.Failures > 0)
                {
                    throw new InvalidOperationException($"{figures.Failures} {label} writes failed at concurrency {concurrency}.");
                }

                var suffix = concurrency == HeadlineConcurrency ? "" : $".c{concurrency}";
                report.Record($"storage.{label}_writes_per_s{suffix}", figures.PerSecond, "writes/s", $"acknowledged, concurrency {concurrency}");
                report.Record($"storage.{label}_p50_ms.c{concurrency}", figures.P50Ms, "ms");
                report.Record($"storage.{label}_p99_ms.c{concurrency}", figures.P99Ms, "ms");
            }
        }

        report.Record(
            "storage.group_commit_speedup",
            report.Value("storage.group_commit_writes_per_s") / report.Value("storage.stock_writes_per_s"),
            "x",
            $"acknowledged writes/s at concurrency {HeadlineConcurrency}");
    }

    private static GrainId Unit(int key) => GrainId.Create(UnitGrainType, GrainIdKeyExtensions.CreateIntegerKey(key));

    /// <summary>Every unit's first write (an insert), through group commit: the rows both providers then share.</summary>
    private static async Task<GrainState<UnitState>[]> SeedAsync(IGrainStorage storage, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var units = new GrainState<UnitState>[Units];
        for (var key = 0; key < Units; key++)
        {
            var parameters = new float[340];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = (float)(random.NextDouble() - 0.5);
            }

            units[key] = new GrainState<UnitState>(new UnitState
            {
                UnitId = key,
                LabscapeId = key / 4096,
                Architecture = new ModelShape(16, 16, 4),
                Parameters = parameters,
                ModelVersion = "initial",
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            });
        }

        const int writers = 1024;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(worker => Task.Run(async () =>
        {
            for (var key = worker; key < Units; key += writers)
            {
                await storage.WriteStateAsync(UnitState.StateName, Unit(key), units[key]);
            }
        }, cancellationToken)));
        return units;
    }

    /// <summary>Reads every unit into a fresh state, as its activation would; returns reads per second after a warm-up.</summary>
    private static async Task<double> ReadAllAsync(IGrainStorage storage, GrainState<UnitState>[] units, CancellationToken cancellationToken)
    {
        async Task ReadAsync(int from, int to)
        {
            var next = from - 1;
            await Task.WhenAll(Enumerable.Range(0, ReadConcurrency).Select(_ => Task.Run(async () =>
            {
                for (var key = Interlocked.Increment(ref next); key < to; key = Interlocked.Increment(ref next))
                {
                    var state = new GrainState<UnitState>();
                    await storage.ReadStateAsync(UnitState.StateName, Unit(key), state);
                    units[key] = state;
                }
            }, cancellationToken)));
        }

        await ReadAsync(0, WarmUpReads);
        var started = Stopwatch.GetTimestamp();
        await ReadAsync(WarmUpReads, Units);
        return (Units - WarmUpReads) / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// One learn step of a unit, persisted: worker <c>w</c> of <paramref name="concurrency"/> cycles through units
    /// <c>w, w + concurrency, …</c>, so no two workers ever write the same unit.
    /// </summary>
    private static Func<int, long, Task> Learn(IGrainStorage storage, GrainState<UnitState>[] units, int concurrency) =>
        (worker, i) =>
        {
            var key = (int)((worker + i * concurrency) % Units);
            var unit = units[key];
            var state = unit.State ?? throw new InvalidOperationException($"Unit {key} has no state.");
            var parameters = (float[])state.Parameters.Clone();
            parameters[(int)(state.Learns % parameters.Length)] += 0.001f;
            unit.State = state with
            {
                Parameters = parameters,
                Revision = state.Revision + 1,
                Learns = state.Learns + 1,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            return storage.WriteStateAsync(UnitState.StateName, Unit(key), unit);
        };

    /// <summary>
    /// Both providers as a silo builds them (same service id, the Orleans binary serializer), in a service container
    /// with the silo lifecycle that initialises the stock one.
    /// </summary>
    private sealed class Providers : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly SiloLifecycleSubject _lifecycle;

        private Providers(ServiceProvider services, SiloLifecycleSubject lifecycle)
        {
            _services = services;
            _lifecycle = lifecycle;
        }

        public IGrainStorage Stock => _services.GetRequiredKeyedService<IGrainStorage>("stock");

        public IGrainStorage GroupCommit => _services.GetRequiredKeyedService<IGrainStorage>("group-commit");

        public Serializer Serializer => _services.GetRequiredService<Serializer>();

        public static async Task<Providers> StartAsync(string connectionString)
        {
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            services.AddSerializer(serializer => serializer.AddAssembly(typeof(UnitState).Assembly));
            services.AddAdoNetGrainStorage("stock", options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            services.AddOptions<AdoNetGrainStorageOptions>("stock").Configure<IServiceProvider>((options, provider) =>
                options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(provider));
            services.AddGroupCommitGrainStorage("group-commit", options => options.ConnectionString = connectionString);

            var provider = services.BuildServiceProvider();
            var lifecycle = new SiloLifecycleSubject(provider.GetRequiredService<ILogger<SiloLifecycleSubject>>());
            foreach (var participant in provider.GetServices<ILifecycleParticipant<ISiloLifecycle>>())
            {
                participant.Participate(lifecycle);
            }

            await lifecycle.OnStart();
            return new Providers(provider, lifecycle);
        }

        public async ValueTask DisposeAsync()
        {
            await _lifecycle.OnStop();
            await _services.DisposeAsync();
        }
    }
}
