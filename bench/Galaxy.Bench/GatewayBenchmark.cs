using System.Diagnostics;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench gateway [--rate N] [--rounds K]</c>: predicts through the gateway at one fixed rate, round after
/// round (by default half the most it sustained, as <c>serve</c> measures it), with each round's percentiles and the
/// CPU, context switches a request and runtime counters (collections and their pauses, the thread pool's queue and
/// threads, lock contention) of the gateway and of this process (the silo and the load generator), and what the rest
/// of the machine took: other processes' CPU, the kernel's own threads' time and the hypervisor's steal. The target is
/// p95 ≤ 5 ms and p99 ≤ 10 ms in every round; on a shared machine one round can miss by chance, so a setting is judged
/// here over many rounds.
/// Each round is followed by one of liveness probes at the same rate, over the same connections and middleware but
/// without the cluster: when that floor misses too, the machine stalled, not the predict path. And one of probes to
/// stock ASP.NET Core (<see cref="StockServer"/>), the two in turns first: when stock misses as well, no .NET server met
/// the targets on this machine at that rate, and the miss is not Galaxy's code.
/// </summary>
public sealed class GatewayBenchmark : IBenchmark
{
    private const double TargetP95Ms = 5;
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
        await using var stock = await StockServer.StartAsync(cancellationToken);
        await stock.AtRateAsync(perSecond, Round); // its JIT's round, unrecorded

        using var self = Process.GetCurrentProcess();
        await using var gatewayCounters = new ProcessRuntimeCounters(gateway.ProcessId);
        await using var hereCounters = new OwnRuntimeCounters();
        var measured = new List<MeasuredRound>();
        for (var round = 1; round <= rounds; round++)
        {
            self.Refresh();
            var (gatewayBefore, hereBefore, machineBefore, kernelBefore) = (gateway.GatewayProcessorTime, self.TotalProcessorTime, MachineCpu.Read(), KernelThreads.Read());
            var (gatewaySwitchesBefore, hereSwitchesBefore, started) = (ContextSwitches.Of(gateway.ProcessId), ContextSwitches.Of(self.Id), Stopwatch.GetTimestamp());
            var figures = await gateway.AtRateAsync(perSecond, Round);
            var ended = Stopwatch.GetTimestamp();
            var (gatewaySwitches, hereSwitches) = (ContextSwitches.Of(gateway.ProcessId) - gatewaySwitchesBefore, ContextSwitches.Of(self.Id) - hereSwitchesBefore);
            var seconds = Stopwatch.GetElapsedTime(started, ended).TotalSeconds;
            self.Refresh();
            var gatewayCores = (gateway.GatewayProcessorTime - gatewayBefore).TotalSeconds / seconds;
            var hereCores = (self.TotalProcessorTime - hereBefore).TotalSeconds / seconds;
            var machine = MachineCpu.Read();
            var otherCores = Math.Max(0, MachineCpu.BusyCores(machineBefore, machine, seconds) - gatewayCores - hereCores);
            var steal = MachineCpu.StealShare(machineBefore, machine);
            var kernel = KernelThreads.Between(kernelBefore, KernelThreads.Read());
            // In turns first, so that what the predicts leave behind (the silo's writes, a collection) falls on both alike.
            (LoadFigures Figures, TimeSpan Cpu) gatewayProbes, stockProbes;
            if (round % 2 == 1)
            {
                gatewayProbes = await ProbedAsync(() => gateway.LivenessAtRateAsync(perSecond, Round), () => gateway.GatewayProcessorTime);
                stockProbes = await ProbedAsync(() => stock.AtRateAsync(perSecond, Round), () => stock.ProcessorTime);
            }
            else
            {
                stockProbes = await ProbedAsync(() => stock.AtRateAsync(perSecond, Round), () => stock.ProcessorTime);
                gatewayProbes = await ProbedAsync(() => gateway.LivenessAtRateAsync(perSecond, Round), () => gateway.GatewayProcessorTime);
            }

            // The open loop settles for half a round at the rate before it measures: those requests switch contexts and use CPU too.
            var requests = perSecond * (Round.TotalSeconds * 1.5);
            measured.Add(new MeasuredRound(
                figures, gatewayProbes.Figures, stockProbes.Figures, gatewayCores, hereCores, otherCores, steal, kernel, gatewaySwitches / requests,
                hereSwitches / requests, gatewayProbes.Cpu.TotalMicroseconds / requests, stockProbes.Cpu.TotalMicroseconds / requests, started, ended));
        }

        // The counters arrive a second after they are taken, and are read per round once the last round's are in.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var number = 0;
        foreach (var (figures, floor, stockFloor, gatewayCores, hereCores, otherCores, steal, kernel, gatewaySwitches, hereSwitches, _, _, from, to) in measured)
        {
            number++;
            report.Record($"gateway.p99_ms.round{number}", figures.P99Ms, "ms",
                $"p50 {figures.P50Ms:F2} ms; CPU: gateway {gatewayCores:F2}, silo and load {hereCores:F2}, other processes {otherCores:F2} cores, stolen {steal:P1}; {kernel}; " +
                $"context switches a request: gateway {gatewaySwitches:F1}, silo and load {hereSwitches:F1}; {figures.Failures} failed");
            report.Record($"gateway.p95_ms.round{number}", figures.P95Ms, "ms", WithinTargets(figures) ? "both targets met" : "a target missed");
            report.Record($"gateway.floor_p99_ms.round{number}", floor.P99Ms, "ms",
                $"liveness probes, {(number % 2 == 1 ? "right after" : "after stock's")}; p50 {floor.P50Ms:F2}, p95 {floor.P95Ms:F2} ms; {floor.Failures} failed");
            report.Record($"gateway.stock_p99_ms.round{number}", stockFloor.P99Ms, "ms",
                $"stock ASP.NET Core's probes, at the same rate; p50 {stockFloor.P50Ms:F2}, p95 {stockFloor.P95Ms:F2} ms; {stockFloor.Failures} failed");
            Console.WriteLine($"  round {number}: gateway: {gatewayCounters.Between(from, to)} | silo and load: {hereCounters.Between(from, to)}");
        }

        report.Record("gateway.p50_ms", Median(measured.Select(m => m.Figures.P50Ms)), "ms", $"median of {rounds} rounds");
        report.Record("gateway.p95_ms", Median(measured.Select(m => m.Figures.P95Ms)), "ms", $"median of {rounds} rounds");
        report.Record("gateway.p99_ms", Median(measured.Select(m => m.Figures.P99Ms)), "ms", $"median of {rounds} rounds");
        report.Record("gateway.p99_ms.worst", measured.Max(m => m.Figures.P99Ms), "ms", $"worst of {rounds} rounds");
        report.Record("gateway.rounds_within_target", measured.Count(m => WithinTargets(m.Figures)), "rounds",
            $"of {rounds} with p95 ≤ {TargetP95Ms} ms and p99 ≤ {TargetP99Ms} ms");
        report.Record("gateway.rounds_within_target_in_a_row", LongestRun(measured.Select(m => WithinTargets(m.Figures))), "rounds",
            "the longest run of consecutive rounds within both targets");
        report.Record("gateway.floor_p99_ms", Median(measured.Select(m => m.Floor.P99Ms)), "ms", $"liveness probes, median of {rounds} rounds");
        report.Record("gateway.floor_rounds_within_target", measured.Count(m => m.Floor.P99Ms <= TargetP99Ms), "rounds", $"of {rounds} whose liveness probes had p99 ≤ {TargetP99Ms} ms");
        report.Record("gateway.stock_p99_ms", Median(measured.Select(m => m.Stock.P99Ms)), "ms", $"stock ASP.NET Core's probes, median of {rounds} rounds");
        report.Record("gateway.stock_rounds_within_target", measured.Count(m => WithinTargets(m.Stock)), "rounds",
            $"of {rounds} whose stock ASP.NET Core probes had p95 ≤ {TargetP95Ms} ms and p99 ≤ {TargetP99Ms} ms");
        report.Record("gateway.probe_cpu_us.gateway", Median(measured.Select(m => m.GatewayProbeCpuUs)), "us",
            "the gateway's CPU a liveness probe, median over the rounds");
        report.Record("gateway.probe_cpu_us.stock", Median(measured.Select(m => m.StockProbeCpuUs)), "us",
            "stock ASP.NET Core's CPU a probe at the same rate, median over the rounds");
        report.Record(
            "gateway.rounds_missed_over_floor",
            measured.Count(m => !WithinTargets(m.Figures) && m.Floor.P99Ms <= TargetP99Ms),
            "rounds",
            "predicts missed a target while the liveness probes after them met the p99 one");
        report.Record("gateway.cpu_cores.gateway", Median(measured.Select(m => m.GatewayCores)), "cores", "median over the rounds");
        report.Record("gateway.cpu_cores.silo_and_load", Median(measured.Select(m => m.HereCores)), "cores", "this process: the silo and the load generator");
        report.Record("gateway.cpu_cores.other_processes", Median(measured.Select(m => m.OtherCores)), "cores", "the machine's busy time less the two processes', median over the rounds");
        report.Record("gateway.context_switches_per_request.gateway", Median(measured.Select(m => m.GatewaySwitches)), "1",
            "median over the rounds; each a trip through the hypervisor on this project's machines");
        report.Record("gateway.context_switches_per_request.silo_and_load", Median(measured.Select(m => m.HereSwitches)), "1", "this process: the silo and the load generator");
        var busiestKernelThread = measured.Select(m => m.Kernel).MaxBy(kernel => kernel.BusiestMs);
        report.Record("gateway.kernel_threads_ms", Median(measured.Select(m => m.Kernel.TotalMs)), "ms",
            $"the kernel's own threads' time on a core a round, median over the rounds; the busiest in a round: {busiestKernelThread.Busiest}, {busiestKernelThread.BusiestMs:F0} ms");
        report.Record("gateway.steal_share.worst", measured.Max(m => m.Steal), "", "the largest share of the cores' time the hypervisor took in a round");
        var (gatewayRuntime, hereRuntime) = (gatewayCounters.Between(measured[0].From, measured[^1].To), hereCounters.Between(measured[0].From, measured[^1].To));
        report.Record("gateway.gc_pause_ms.gateway", gatewayRuntime.GcPauseMs, "ms", $"over all rounds, {gatewayRuntime.Collections} collections");
        report.Record("gateway.gc_pause_ms.silo_and_load", hereRuntime.GcPauseMs, "ms", $"over all rounds, {hereRuntime.Collections} collections");
    }

    /// <summary>One round: its predicts, the gateway's and the stock server's probes after it, and the machine's CPU meanwhile.</summary>
    /// <param name="Kernel">What the kernel's own threads ran during the predicts.</param>
    /// <param name="GatewaySwitches">The gateway's context switches a request.</param>
    /// <param name="HereSwitches">This process's (the silo and the load generator) context switches a request.</param>
    /// <param name="GatewayProbeCpuUs">The gateway's CPU a liveness probe, in µs.</param>
    /// <param name="StockProbeCpuUs">The stock server's CPU a probe, in µs.</param>
    /// <param name="From">When it began (<see cref="Stopwatch.GetTimestamp"/>), for the runtime counters.</param>
    private sealed record MeasuredRound(
        LoadFigures Figures, LoadFigures Floor, LoadFigures Stock, double GatewayCores, double HereCores, double OtherCores, double Steal,
        KernelThreadsRun Kernel, double GatewaySwitches, double HereSwitches, double GatewayProbeCpuUs, double StockProbeCpuUs, long From, long To);

    /// <summary>A round of probes, and the CPU its server used meanwhile.</summary>
    private static async Task<(LoadFigures Figures, TimeSpan Cpu)> ProbedAsync(Func<Task<LoadFigures>> probes, Func<TimeSpan> serverCpu)
    {
        var before = serverCpu();
        var figures = await probes();
        return (figures, serverCpu() - before);
    }

    private static bool WithinTargets(LoadFigures figures) => figures.P95Ms <= TargetP95Ms && figures.P99Ms <= TargetP99Ms;

    private static int LongestRun(IEnumerable<bool> rounds)
    {
        var (longest, current) = (0, 0);
        foreach (var within in rounds)
        {
            current = within ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
