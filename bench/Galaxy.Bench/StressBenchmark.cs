using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Galaxy.Grains;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench stress [--quick] [--seconds S] [--percent P]</c>: the gateway in front of an in-process silo, first
/// measured at the most it sustains (closed loops; four predicts to one learn), then offered P % of that rate (150) in an
/// open loop for S seconds (30; 10 with <c>--quick</c>). Each answer is a 2xx, a 429 or 503 with Retry-After (shed, as overload
/// should be), or unexpected: any other status, a refusal without Retry-After, or no answer within 30 s. After the
/// burst, the same mix at half the sustained rate in half-second windows until one is all 2xx with its p99 back near
/// the p99 before the burst: the recovery time. Last, a fresh silo reads every learned unit back from PostgreSQL, and
/// each acknowledged learn whose revision the unit's stored state does not reach is lost.
/// </summary>
/// <remarks>
/// The per-principal inference quota is raised for the run (<see cref="GatewayLoad"/>), so what sheds is the gateway's
/// and the cluster's own protection, not the quota; and the load generator opens up to 4,096 connections, so that the
/// overload reaches the gateway instead of queueing in the generator's connection pool.
/// </remarks>
public sealed class StressBenchmark : IBenchmark
{
    private const int Connections = 4096;
    private static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);

    public string Name => "stress";

    public string Description => "predicts and learns at 1.5x what the gateway sustains: shedding, acknowledged learns, recovery";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var quick = args.Contains("--quick");
        var burst = TimeSpan.FromSeconds(BenchArguments.Option(args, "--seconds", quick ? 10 : 30));
        var overload = BenchArguments.Option(args, "--percent", 150) / 100.0;
        var units = ServeBenchmark.WorkingSet();
        // Learns go to units of their own: a unit that also served predicts writes its state when its silo stops
        // (AiUnitGrain.OnDeactivateAsync), which would store a learn that had been acknowledged before it was durable.
        var learned = units.Where((_, i) => i % 8 == 0).ToArray();
        var predicted = units.Where((_, i) => i % 8 != 0).ToArray();
        var acknowledged = new ConcurrentDictionary<long, ConcurrentBag<long>>();
        await using var database = await TestDatabase.CreateAsync();

        await using (var silo = await BenchSilo.StartAsync(database.ConnectionString, "stress", ServeBenchmark.Settings(maxBatchSize: 4096)))
        await using (var gateway = await GatewayLoad.StartAsync(database.ConnectionString, "stress", Mix(predicted, learned), cancellationToken, maxConnections: Connections))
        {
            await gateway.SignInAsLearnerAsync();
            using var memory = new MemorySampler(gateway);
            Console.WriteLine($"warming up: {units.Length} units over 8 labscapes, one learn to four predicts through the gateway");
            await gateway.WarmUpAsync(TimeSpan.FromSeconds(quick ? 5 : 15));
            var sustained = await gateway.MeasureMostAsync(report, "stress.sustained_per_s", TimeSpan.FromSeconds(quick ? 3 : 6));

            var before = new Tally(acknowledged);
            var baseline = await OpenLoop.RunAsync(sustained / 2, TimeSpan.FromSeconds(quick ? 2 : 4), 1024, n => before.SendAsync(gateway, n, cancellationToken), cancellationToken);
            report.Record("stress.baseline_p99_ms", baseline.P99Ms, "ms", $"at half the sustained rate, {sustained / 2:N0}/s, before the burst; {baseline.Failures} not 2xx");
            var gatewayBefore = memory.GatewayPeak;
            memory.ResetPeaks();

            var offered = sustained * overload;
            Console.WriteLine($"burst: {offered:N0}/s offered for {burst.TotalSeconds:N0} s ({overload:P0} of {sustained:N0}/s sustained)");
            var during = new Tally(acknowledged);
            var burstStarted = Stopwatch.GetTimestamp();
            var burstFigures = await OpenLoop.RunAsync(offered, burst, Connections * 2, n => during.SendAsync(gateway, n, cancellationToken), cancellationToken);
            var burstEnded = burstStarted + (long)(burst.TotalSeconds * Stopwatch.Frequency);

            var after = new Tally(acknowledged);
            var recovered = double.NaN;
            var fullService = Math.Max(2 * baseline.P99Ms, 50);
            while (Stopwatch.GetElapsedTime(burstEnded) < RecoveryLimit && !cancellationToken.IsCancellationRequested)
            {
                var windowStarted = Stopwatch.GetTimestamp();
                var window = await OpenLoop.RunAsync(sustained / 2, RecoveryWindow, 1024, n => after.SendAsync(gateway, n, cancellationToken), cancellationToken);
                if (window.Failures == 0 && window.P99Ms <= fullService)
                {
                    recovered = Math.Max(0, (windowStarted - burstEnded) / (double)Stopwatch.Frequency);
                    break;
                }
            }

            report.Record("stress.offered_per_s", burstFigures.Operations + burstFigures.Failures > 0 ? (burstFigures.Operations + burstFigures.Failures) / burst.TotalSeconds : 0, "1/s",
                $"{overload:P0} of the sustained rate, open loop");
            report.Record("stress.served_per_s", during.Succeeded / burst.TotalSeconds, "1/s", "2xx answers during the burst, per second of it");
            report.Record("stress.shed", during.Shed, "requests", "429 or 503 with Retry-After during the burst");
            report.Record("stress.burst_p99_ms", burstFigures.P99Ms, "ms", "2xx answers during the burst, from when each was due");
            report.Record("stress.unexpected_errors", before.Unexpected + during.Unexpected + after.Unexpected, "requests",
                "neither 2xx nor a 429/503 with Retry-After, or no answer in 30 s: " + Describe(during, before, after));
            report.Record("stress.recovery_s", double.IsNaN(recovered) ? RecoveryLimit.TotalSeconds : recovered, "s",
                double.IsNaN(recovered)
                    ? $"not back within {RecoveryLimit.TotalSeconds:N0} s"
                    : $"from the burst's end to a half-second window all 2xx at {sustained / 2:N0}/s with p99 <= {fullService:F0} ms");
            report.Record("stress.gateway_mb.before", gatewayBefore / 1048576.0, "MB", "gateway working set, warmed up, before the burst");
            report.Record("stress.gateway_mb.peak", memory.GatewayPeak / 1048576.0, "MB", "gateway working set, highest during the burst and the recovery");
            report.Record("stress.bench_process_mb.peak", memory.OwnPeak / 1048576.0, "MB", "this process (the silo and the load generator), highest during the burst");
        }

        report.Record("stress.acknowledged_learns", acknowledged.Values.Sum(revisions => revisions.Count), "learns", "2xx learns after the warm-up");
        report.Record("stress.lost_acks", await LostAcknowledgementsAsync(database.ConnectionString, acknowledged), "learns",
            "acknowledged learns whose revision the unit's state, read back by a fresh silo, does not reach");
    }

    /// <summary>A fresh silo activates each learned unit from storage; every acknowledged revision above its stored one is lost.</summary>
    private static async Task<long> LostAcknowledgementsAsync(string connectionString, ConcurrentDictionary<long, ConcurrentBag<long>> acknowledged)
    {
        await using var silo = await BenchSilo.StartAsync(connectionString, "stress-verify", ServeBenchmark.Settings(maxBatchSize: 4096));
        var lost = 0L;
        foreach (var chunk in acknowledged.Chunk(256))
        {
            var states = await Task.WhenAll(chunk.Select(unit => silo.Grains.GetUnit(unit.Key).GetState()));
            lost += chunk.Zip(states).Sum(pair => pair.First.Value.Count(revision => revision > pair.Second.Revision));
        }

        return lost;
    }

    private static string Describe(params Tally[] tallies)
    {
        var kinds = tallies.SelectMany(t => t.UnexpectedKinds).GroupBy(k => k.Key).Select(g => $"{g.Key} x{g.Sum(k => k.Value)}").ToArray();
        return kinds.Length == 0 ? "none" : string.Join(", ", kinds);
    }

    /// <summary>Four predicts to one learn, each unit in turn; a learned unit comes round again only after all the others.</summary>
    private static (string Path, byte[] Body)[] Mix(long[] predicted, long[] learned)
    {
        static string Floats(IEnumerable<double> values) => string.Join(',', values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
        var input = Floats(Enumerable.Range(0, 16).Select(i => i / 16.0));
        var predict = Encoding.UTF8.GetBytes($"{{\"input\":[{input}]}}");
        var learn = Encoding.UTF8.GetBytes($"{{\"input\":[{input}],\"target\":[0.5,-0.5,0.25,0]}}");
        return Enumerable.Range(0, learned.Length * 5)
            .Select(k => k % 5 == 0
                ? ($"/v1/units/{learned[k / 5]}/learn", learn)
                : ($"/v1/units/{predicted[k % predicted.Length]}/predict", predict))
            .ToArray();
    }

    /// <summary>One phase's answers by kind, and the learns it saw acknowledged (unit and revision).</summary>
    private sealed class Tally(ConcurrentDictionary<long, ConcurrentBag<long>> acknowledged)
    {
        private long _succeeded;
        private long _shed;
        private long _unexpected;

        public long Succeeded => Interlocked.Read(ref _succeeded);

        public long Shed => Interlocked.Read(ref _shed);

        public long Unexpected => Interlocked.Read(ref _unexpected);

        public ConcurrentDictionary<string, long> UnexpectedKinds { get; } = new();

        /// <summary>Request n of the mix; throws (so the open loop counts it failed) on anything but a 2xx.</summary>
        public async Task SendAsync(GatewayLoad gateway, long n, CancellationToken cancellationToken)
        {
            var (path, body) = gateway.Requests[(int)(n % gateway.Requests.Count)];
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(AnswerDeadline);
            HttpResponseMessage response;
            try
            {
                response = await gateway.PostAnyAsync(path, body, deadline.Token);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                Count(failure is OperationCanceledException ? "no answer in 30 s" : failure.GetType().Name);
                throw;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _succeeded);
                    if (path.EndsWith("/learn", StringComparison.Ordinal))
                    {
                        using var receipt = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                        acknowledged.GetOrAdd(receipt.RootElement.GetProperty("unitId").GetInt64(), _ => [])
                            .Add(receipt.RootElement.GetProperty("revision").GetInt64());
                    }

                    return;
                }

                if (status is 429 or 503 && response.Headers.RetryAfter is not null)
                {
                    Interlocked.Increment(ref _shed);
                }
                else
                {
                    Count($"{status}{(status is 429 or 503 ? " without Retry-After" : "")} {await ProblemCodeAsync(response, cancellationToken)}".TrimEnd());
                }

                throw new HttpRequestException($"{path}: {status}", null, response.StatusCode);
            }
        }

        private void Count(string kind)
        {
            Interlocked.Increment(ref _unexpected);
            UnexpectedKinds.AddOrUpdate(kind, 1, (_, count) => count + 1);
        }

        private static async Task<string> ProblemCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            try
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                return problem.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
            }
            catch (JsonException)
            {
                return "";
            }
        }
    }

    /// <summary>The gateway's and this process's working sets, sampled every 200 ms, highest kept.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _gatewayPeak;
        private long _ownPeak;

        public MemorySampler(GatewayLoad gateway) => _sampling = SampleAsync(gateway);

        public long GatewayPeak => Interlocked.Read(ref _gatewayPeak);

        public long OwnPeak => Interlocked.Read(ref _ownPeak);

        public void ResetPeaks()
        {
            Interlocked.Exchange(ref _gatewayPeak, 0);
            Interlocked.Exchange(ref _ownPeak, 0);
        }

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _sampling.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task SampleAsync(GatewayLoad gateway)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            using var own = Process.GetCurrentProcess();
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                own.Refresh();
                Raise(ref _gatewayPeak, gateway.GatewayWorkingSetBytes);
                Raise(ref _ownPeak, own.WorkingSet64);
            }
        }

        private static void Raise(ref long peak, long value)
        {
            var seen = Interlocked.Read(ref peak);
            while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) != seen)
            {
                seen = Interlocked.Read(ref peak);
            }
        }
    }
}
