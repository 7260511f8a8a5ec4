using System.Diagnostics;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench gateway [--rate N] [--rounds K]</c>: predicts through the gateway at one fixed rate, round after
/// round (by default half the most it sustained, as <c>serve</c> measures it), with each round's percentiles and the
/// CPU that the gateway and this process (the silo and the load generator) used. On a shared machine one round can
/// miss by chance, so a runtime setting is judged here over many rounds: run it with the setting and without.
/// Each round is followed by one of liveness probes at the same rate, over the same connections and middleware but
/// without the cluster: when that floor misses too, the machine stalled, not the predict path.
/// </summary>
public sealed class GatewayBenchmark : IBenchmark
{
    private const double TargetP99Ms = 10;
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(6);

    public string Name => "gateway";

    public string Description => "the gateway's latency at one rate, round after round, with each process's CPU";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var rate = BenchArguments.Option(args, "--rate", 0);
        var rounds = BenchArguments.Option(args, "--rounds", 8);
        var units = ServeBenchmark.WorkingSet();
        await using var database = await TestDatabase.CreateAsync();
        await using var silo = await BenchSilo.StartAsync(database.ConnectionString, "gateway", ServeBenchmark.Settings(maxBatchSize: 4096));
        Console.WriteLine($"warming up: activating {units.Length} units, settling the JIT");
        await ClosedLoop.RunAsync(256, TimeSpan.FromSeconds(10), ServeBenchmark.Predict(silo, units), cancellationToken);

        await using var gateway = await GatewayLoad.StartAsync(database.ConnectionString, "gateway", units, cancellationToken);
        await gateway.WarmUpAsync(TimeSpan.FromSeconds(10));
        var perSecond = rate > 0 ? rate : await gateway.MeasureMostAsync(report, "gateway.most_per_s", Round) / 2;
        report.Record("gateway.rate_per_s", perSecond, "1/s", rate > 0 ? "--rate" : "half the most it sustained");

        using var self = Process.GetCurrentProcess();
        var measured = new List<(LoadFigures Figures, LoadFigures Floor, double GatewayCores, double HereCores)>();
        for (var round = 1; round <= rounds; round++)
        {
            self.Refresh();
            var (gatewayBefore, hereBefore, started) = (gateway.GatewayProcessorTime, self.TotalProcessorTime, Stopwatch.GetTimestamp());
            var (collectionsBefore, pausedBefore) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
            var figures = await gateway.AtRateAsync(perSecond, Round);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            self.Refresh();
            var gatewayCores = (gateway.GatewayProcessorTime - gatewayBefore).TotalSeconds / seconds;
            var hereCores = (self.TotalProcessorTime - hereBefore).TotalSeconds / seconds;
            var collections = GC.CollectionCount(0) - collectionsBefore;
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            var floor = await gateway.LivenessAtRateAsync(perSecond, Round);
            measured.Add((figures, floor, gatewayCores, hereCores));
            report.Record($"gateway.p99_ms.round{round}", figures.P99Ms, "ms",
                $"p50 {figures.P50Ms:F2}, p95 {figures.P95Ms:F2} ms; CPU: gateway {gatewayCores:F2}, silo and load {hereCores:F2} cores, {collections} GCs pausing {paused.TotalMilliseconds:F0} ms; {figures.Failures} failed");
            report.Record($"gateway.floor_p99_ms.round{round}", floor.P99Ms, "ms",
                $"liveness probes right after; p50 {floor.P50Ms:F2}, p95 {floor.P95Ms:F2} ms; {floor.Failures} failed");
        }

        report.Record("gateway.p50_ms", Median(measured.Select(m => m.Figures.P50Ms)), "ms", $"median of {rounds} rounds");
        report.Record("gateway.p99_ms", Median(measured.Select(m => m.Figures.P99Ms)), "ms", $"median of {rounds} rounds");
        report.Record("gateway.p99_ms.worst", measured.Max(m => m.Figures.P99Ms), "ms", $"worst of {rounds} rounds");
        report.Record("gateway.rounds_within_target", measured.Count(m => m.Figures.P99Ms <= TargetP99Ms), "rounds", $"of {rounds} with p99 ≤ {TargetP99Ms} ms");
        report.Record("gateway.floor_p99_ms", Median(measured.Select(m => m.Floor.P99Ms)), "ms", $"liveness probes, median of {rounds} rounds");
        report.Record("gateway.floor_rounds_within_target", measured.Count(m => m.Floor.P99Ms <= TargetP99Ms), "rounds", $"of {rounds} whose liveness probes had p99 ≤ {TargetP99Ms} ms");
        report.Record(
            "gateway.rounds_missed_over_floor",
            measured.Count(m => m.Figures.P99Ms > TargetP99Ms && m.Floor.P99Ms <= TargetP99Ms),
            "rounds",
            "predicts missed the target while the liveness probes right after met it");
        report.Record("gateway.cpu_cores.gateway", Median(measured.Select(m => m.GatewayCores)), "cores", "median over the rounds");
        report.Record("gateway.cpu_cores.silo_and_load", Median(measured.Select(m => m.HereCores)), "cores", "this process: the silo and the load generator");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
