using System.Diagnostics;
using Galaxy.Grains;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench serve [--quick] [--scrape-seconds S]</c>: predict and learn through the grains of an in-process silo at concurrency
/// 1, 64 and 1,024, batched (no queue delay, then a 1 ms delay) and with <c>maxBatchSize = 1</c>, beside the
/// empty-grain-call ceiling; predicts through the gateway over HTTP; then the galaxy tick through the grains.
/// </summary>
public sealed class ServeBenchmark : IBenchmark
{
    private const int Labscapes = 256;
    private const int UnitsPerLabscape = 4096;
    private const int WorkingLabscapes = 8;
    private const int WorkingUnitsPerLabscape = 512;
    private const int Inputs = 16;

    public string Name => "serve";

    public string Description => "predict/learn through the grains, batched vs unbatched, beside empty calls; the tick";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var quick = args.Contains("--quick");
        var phase = TimeSpan.FromSeconds(quick ? 2 : 5);
        var units = WorkingSet();
        await using var database = await TestDatabase.CreateAsync();

        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "serve-batched", Settings(maxBatchSize: 4096)))
        {
            Console.WriteLine($"warming up: activating {units.Length} units over {WorkingLabscapes} labscapes, settling the JIT");
            await ClosedLoop.RunAsync(256, TimeSpan.FromSeconds(quick ? 5 : 15), Predict(silo, units), cancellationToken);

            var empty = await ClosedLoop.RunAsync(1024, phase, (w, i) => silo.Grains.GetGrain<IEmptyGrain>(w).Ping(), cancellationToken);
            Record(report, "serve.empty_call", empty, "c1024", "ceiling: the runtime's cost per call");
            report.Record("serve.grain_reference_ns.stock", NanosecondsEach(id => silo.Grains.GetGrain<IAiUnitGrain>(id)), "ns",
                "GetGrain<IAiUnitGrain>(id): Orleans reads the interface's attributes on every call");
            report.Record("serve.grain_reference_ns.resolved_once", NanosecondsEach(id => silo.Grains.GetUnit(id)), "ns",
                "GrainReferences.GetUnit(id), which every caller here uses");

            foreach (var concurrency in new[] { 1, 64, 1024 })
            {
                await MeasurePredictsAsync(report, silo, units, concurrency, phase, "", "batched, no queue delay", cancellationToken);
            }

            foreach (var concurrency in new[] { 64, 1024 })
            {
                var figures = await ClosedLoop.RunAsync(concurrency, phase, Learn(silo, units), cancellationToken);
                Record(report, "serve.learn", figures, $"c{concurrency}", "each acknowledged after its state write commits");
            }

            report.Record("serve.learn_per_s", report.Value("serve.learn_per_s.c1024"), "1/s", "c1024, durable");
            await MeasureGatewayAsync(report, database.ConnectionString, units, quick, TimeSpan.FromSeconds(BenchArguments.Option(args, "--scrape-seconds", 15)), cancellationToken);
            await MeasureTickAsync(report, silo, quick);
        }

        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "serve-delayed", Settings(maxBatchSize: 4096, queueDelayMicroseconds: 1000)))
        {
            await ClosedLoop.RunAsync(256, TimeSpan.FromSeconds(quick ? 3 : 8), Predict(silo, units), cancellationToken);
            foreach (var concurrency in new[] { 64, 1024 })
            {
                await MeasurePredictsAsync(report, silo, units, concurrency, phase, "delay1ms.", "maxQueueDelay = 1 ms", cancellationToken);
            }
        }

        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "serve-unbatched", Settings(maxBatchSize: 1)))
        {
            await ClosedLoop.RunAsync(256, TimeSpan.FromSeconds(quick ? 3 : 8), Predict(silo, units), cancellationToken);
            foreach (var concurrency in new[] { 64, 1024 })
            {
                var figures = await ClosedLoop.RunAsync(concurrency, phase, Predict(silo, units), cancellationToken);
                Record(report, "serve.predict", figures, $"unbatched.c{concurrency}", "maxBatchSize = 1");
            }
        }

        report.Record(
            "serve.batching_speedup.c1024",
            report.Value("serve.predict_per_s.c1024") / report.Value("serve.predict_per_s.unbatched.c1024"),
            "x",
            "batched / unbatched predicts per second");
    }

    /// <summary>
    /// Predicts through the gateway over HTTP: the most it sustains (closed loops of rising depth), then latency at half
    /// that rate (an open loop), from this process and from an outside client, with the runtime counters of the gateway
    /// and of this process (the silo) meanwhile. Then what metrics cost (pairs of rounds with them on and off) and what a
    /// bearer token costs beside an API key. <c>./galaxy bench gateway</c> repeats the latency part over many rounds.
    /// </summary>
    private static async Task MeasureGatewayAsync(
        BenchReport report, string connectionString, long[] units, bool quick, TimeSpan scrapeInterval, CancellationToken cancellationToken)
    {
        var phase = TimeSpan.FromSeconds(quick ? 3 : 6);
        await using var gateway = await GatewayLoad.StartAsync(connectionString, "serve-batched", units, cancellationToken);
        await using var unmeasured = await GatewayLoad.StartAsync(connectionString, "serve-batched", units, cancellationToken, metrics: false);
        await using var gatewayCounters = new ProcessRuntimeCounters(gateway.ProcessId);
        await using var unmeasuredCounters = new ProcessRuntimeCounters(unmeasured.ProcessId);
        await using var siloCounters = new OwnRuntimeCounters();
        await gateway.WarmUpAsync(TimeSpan.FromSeconds(quick ? 4 : 10));
        await unmeasured.WarmUpAsync(TimeSpan.FromSeconds(quick ? 4 : 10));
        var most = await gateway.MeasureMostAsync(report, "serve.gateway_per_s", phase);
        var from = Stopwatch.GetTimestamp();
        var half = await gateway.AtRateAsync(most / 2, phase);
        var to = Stopwatch.GetTimestamp();
        report.Record("serve.gateway_p50_ms", half.P50Ms, "ms", $"open loop at {most / 2:N0}/s");
        report.Record("serve.gateway_p95_ms", half.P95Ms, "ms", $"open loop at {most / 2:N0}/s");
        report.Record("serve.gateway_p99_ms", half.P99Ms, "ms", $"open loop at {most / 2:N0}/s; {half.Failures} failed");
        var outside = await gateway.OutsideAtRateAsync(most / 2, phase);
        report.Record("serve.gateway_outside_p95_ms", outside.P95Ms, "ms", $"the same open loop from galaxy-load, a process of its own; p50 {outside.P50Ms:F2} ms");
        report.Record("serve.gateway_outside_p99_ms", outside.P99Ms, "ms", $"the same open loop from galaxy-load; {outside.Failures} failed");

        var rounds = await MetricsOnOffAsync(report, gateway, unmeasured, phase, scrapeInterval, cancellationToken);
        await CredentialsAsync(report, gateway, phase);

        // The counters arrive a second after they are taken: wait for the last round's before reading any.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        RecordRuntime(report, "serve.half_load", gatewayCounters.Between(from, to), siloCounters.Between(from, to), $"open loop at {most / 2:N0}/s");
        foreach (var round in rounds)
        {
            var counters = round.MetricsOn ? gatewayCounters : unmeasuredCounters;
            Console.WriteLine(
                $"  metrics {(round.MetricsOn ? "on " : "off")} round {round.Pair + 1}: {round.Figures.PerSecond:N0}/s, p99 {round.Figures.P99Ms:F1} ms | " +
                $"gateway: {counters.Between(round.From, round.To)} | silo: {siloCounters.Between(round.From, round.To)}");
        }
    }

    private sealed record Round(int Pair, bool MetricsOn, LoadFigures Figures, long From, long To);

    /// <summary>
    /// Pairs of rounds against two gateways in front of the same silo, one with its metrics on (scraped every
    /// <paramref name="scrapeInterval"/>: 15 s, a Prometheus server's usual, unless <c>--scrape-seconds</c>; 1 s costs ~9 %;
    /// the silo's metrics port too) and one with them off, in alternating order so that drift in the machine falls on
    /// both: <c>serve.metrics_on_off_ratio</c> is the median of the pairs' ratios of predicts per second.
    /// </summary>
    private static async Task<List<Round>> MetricsOnOffAsync(
        BenchReport report, GatewayLoad measured, GatewayLoad unmeasured, TimeSpan phase, TimeSpan scrapeInterval, CancellationToken cancellationToken)
    {
        const int Pairs = 7;
        const int Concurrency = 64;
        var rounds = new List<Round>();
        using var siloScraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{SiloMetricsPort}"), Timeout = TimeSpan.FromSeconds(10) };

        // A pair that is not counted: the first scrapes and the first round of each gateway are the JIT's (a first "on"
        // round ran at 5.8 k/s against 9–11 k/s for the rest of the same run).
        using (var stopWarmUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var scraping = ScrapeAsync(measured, siloScraper, scrapeInterval, stopWarmUp.Token);
            await measured.ClosedLoopAsync(Concurrency, phase);
            await stopWarmUp.CancelAsync();
            await scraping;
            await unmeasured.ClosedLoopAsync(Concurrency, phase);
        }

        for (var pair = 0; pair < Pairs; pair++)
        {
            foreach (var on in pair % 2 == 0 ? new[] { true, false } : [false, true])
            {
                using var stopScraping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var scraping = on ? ScrapeAsync(measured, siloScraper, scrapeInterval, stopScraping.Token) : Task.CompletedTask;
                var from = Stopwatch.GetTimestamp();
                var figures = await (on ? measured : unmeasured).ClosedLoopAsync(Concurrency, phase);
                rounds.Add(new Round(pair, on, figures, from, Stopwatch.GetTimestamp()));
                await stopScraping.CancelAsync();
                await scraping;
            }
        }

        var ratios = Enumerable.Range(0, Pairs)
            .Select(pair => rounds.Single(r => r.Pair == pair && r.MetricsOn).Figures.PerSecond / rounds.Single(r => r.Pair == pair && !r.MetricsOn).Figures.PerSecond)
            .Order()
            .ToList();
        report.Record("serve.gateway_per_s.metrics_on", Median(rounds.Where(r => r.MetricsOn).Select(r => r.Figures.PerSecond)), "1/s",
            $"closed loop c{Concurrency}, median of {Pairs} rounds; /metrics of the gateway and the silo scraped every {scrapeInterval.TotalSeconds:F0} s");
        report.Record("serve.gateway_per_s.metrics_off", Median(rounds.Where(r => !r.MetricsOn).Select(r => r.Figures.PerSecond)), "1/s",
            $"closed loop c{Concurrency}, median of {Pairs} rounds; Galaxy:Metrics:Enabled=false on the gateway");
        report.Record("serve.metrics_on_off_ratio", ratios[Pairs / 2], "x",
            $"median of {Pairs} interleaved pairs (on / off); pairs {string.Join(", ", ratios.Select(r => r.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}; target ≥ 0.95");
        return rounds;
    }

    private static async Task ScrapeAsync(GatewayLoad gateway, HttpClient silo, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                await gateway.ScrapeAsync();
                (await silo.GetAsync("/metrics", cancellationToken)).EnsureSuccessStatusCode();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Predicts signed in by API key and by bearer token, in alternating rounds against the same gateway.</summary>
    private static async Task CredentialsAsync(BenchReport report, GatewayLoad gateway, TimeSpan phase)
    {
        const int Pairs = 3;
        var apiKey = new List<double>();
        var bearer = new List<double>();
        for (var pair = 0; pair < Pairs; pair++)
        {
            apiKey.Add((await gateway.ClosedLoopAsync(64, phase)).PerSecond);
            bearer.Add((await gateway.ClosedLoopAsync(64, phase, bearer: true)).PerSecond);
        }

        report.Record("serve.gateway_per_s.api_key", Median(apiKey), "1/s", $"closed loop c64, median of {Pairs} rounds");
        report.Record("serve.gateway_per_s.bearer", Median(bearer), "1/s", $"closed loop c64, median of {Pairs} rounds, alternating with the API key's");
        report.Record("serve.bearer_api_key_ratio", Median(bearer) / Median(apiKey), "x", "bearer token / API key predicts per second");
    }

    private static void RecordRuntime(BenchReport report, string prefix, RuntimeFigures gateway, RuntimeFigures silo, string note)
    {
        foreach (var (process, figures) in new[] { ("gateway", gateway), ("silo", silo) })
        {
            var who = process == "silo" ? $"{note}; the bench process: the silo and the load generator" : note;
            report.Record($"{prefix}.{process}_gc_pause_ms", figures.GcPauseMs, "ms", $"time paused for GC, {who}");
            report.Record($"{prefix}.{process}_gc_count", figures.Collections, "1", $"collections, all generations, {who}");
            report.Record($"{prefix}.{process}_threadpool_queue_max", figures.QueueLengthMax, "1", $"thread-pool queue, most of the 1 s samples, {who}");
            report.Record($"{prefix}.{process}_threads_max", figures.ThreadsMax, "1", $"thread-pool threads, most, {who}");
            report.Record($"{prefix}.{process}_lock_contentions", figures.LockContentions, "1", $"contended lock acquisitions, {who}");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The cost of making one grain reference, on one thread, after a warm-up.</summary>
    private static double NanosecondsEach(Func<long, IAiUnitGrain> reference)
    {
        const int Calls = 200_000;
        for (var id = 0L; id < Calls / 10; id++)
        {
            reference(id);
        }

        var started = Stopwatch.GetTimestamp();
        for (var id = 0L; id < Calls; id++)
        {
            reference(id);
        }

        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / Calls;
    }

    /// <summary>Predict figures at one concurrency, and how many rows each kernel launch held meanwhile.</summary>
    private static async Task MeasurePredictsAsync(
        BenchReport report, BenchSilo silo, long[] units, int concurrency, TimeSpan phase, string variant, string note, CancellationToken cancellationToken)
    {
        var before = await BatchFiguresAsync(silo);
        var figures = await ClosedLoop.RunAsync(concurrency, phase, Predict(silo, units), cancellationToken);
        var after = await BatchFiguresAsync(silo);
        Record(report, "serve.predict", figures, $"{variant}c{concurrency}", note);
        report.Record($"serve.mean_batch_rows.{variant}c{concurrency}", (double)(after.Rows - before.Rows) / Math.Max(1, after.Batches - before.Batches), "rows",
            $"rows per kernel launch, from the labscapes' metrics ({note})");
    }

    private static async Task<(long Batches, long Rows)> BatchFiguresAsync(BenchSilo silo)
    {
        var metrics = await Task.WhenAll(Enumerable.Range(0, WorkingLabscapes)
            .Select(l => silo.Grains.GetLabscape(l).GetMetrics()));
        return (metrics.Sum(m => m.Batches), metrics.Sum(m => m.Rows));
    }

    /// <summary>The in-process silo's metrics port (<c>Galaxy:Metrics:Port</c>): on, as <c>./galaxy up</c> starts a silo.</summary>
    private static readonly int SiloMetricsPort = Galaxy.Testing.Processes.LoopbackPort.Free();

    internal static Dictionary<string, string?> Settings(int maxBatchSize, int queueDelayMicroseconds = 0) => new()
    {
        ["Galaxy:Metrics:Port"] = SiloMetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Galaxy:Batching:MaxQueueDelayMicroseconds"] = queueDelayMicroseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Galaxy:Topology:Labscapes"] = Labscapes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Galaxy:Topology:UnitsPerLabscape"] = UnitsPerLabscape.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Galaxy:Batching:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>512 units in each of 8 labscapes: enough to spread a 1,024-deep load, few enough to activate quickly.</summary>
    internal static long[] WorkingSet() =>
        Enumerable.Range(0, WorkingLabscapes)
            .SelectMany(l => Enumerable.Range(0, WorkingUnitsPerLabscape).Select(j => (long)l * UnitsPerLabscape + j))
            .ToArray();

    internal static Func<int, long, Task> Predict(BenchSilo silo, long[] units)
    {
        var input = Enumerable.Range(0, Inputs).Select(i => MathF.Sin(i)).ToArray();
        return (worker, i) => silo.Grains.GetUnit(units[(int)((worker * 7_919L + i * 104_729L) % units.Length)]).Predict(input);
    }

    // Each worker learns on its own units (worker, worker + concurrency, …) so no two requests queue on one unit.
    private static Func<int, long, Task> Learn(BenchSilo silo, long[] units)
    {
        var input = Enumerable.Range(0, Inputs).Select(i => MathF.Cos(i)).ToArray();
        float[] target = [0.5f, -0.5f, 0.25f, 0f];
        return (worker, i) => silo.Grains.GetUnit(units[(worker + i * 1024) % units.Length]).Learn(input, target);
    }

    private static async Task MeasureTickAsync(BenchReport report, BenchSilo silo, bool quick)
    {
        var galaxy = silo.Grains.GetGrain<IGalaxyGrain>(0);
        var input = Enumerable.Range(0, Inputs).Select(i => 0.1f * i).ToArray();
        var activation = Stopwatch.StartNew();
        var first = await galaxy.Tick(input);
        Console.WriteLine($"first tick (activates all {Labscapes} labscapes, rebuilding their tables): {activation.Elapsed.TotalSeconds:F1} s");

        var walls = new List<double>();
        GalaxyTickSummary last = first;
        for (var i = 0; i < (quick ? 3 : 10); i++)
        {
            last = await galaxy.Tick(input);
            walls.Add(last.WallMilliseconds);
        }

        walls.Sort();
        report.Record("serve.tick_ms", walls[walls.Count / 2], "ms", $"median of {walls.Count}: {last.Units:N0} forward passes through {last.Labscapes} labscape grains");
        report.Record("serve.tick_ms.best", walls[0], "ms", "best");
        report.Record("serve.tick_kernel_ms.sum", last.KernelMillisecondsTotal, "ms", "the labscapes' kernel time, summed (they overlap)");
    }

    private static void Record(BenchReport report, string prefix, LoadFigures figures, string suffix, string note)
    {
        report.Record($"{prefix}_per_s.{suffix}", figures.PerSecond, "1/s", $"{note}; {figures.Failures} failed");
        report.Record($"{prefix}_p50_ms.{suffix}", figures.P50Ms, "ms", note);
        report.Record($"{prefix}_p95_ms.{suffix}", figures.P95Ms, "ms", note);
        report.Record($"{prefix}_p99_ms.{suffix}", figures.P99Ms, "ms", note);
    }
}
