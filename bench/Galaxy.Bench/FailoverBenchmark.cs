using System.Diagnostics;
using Galaxy.Testing.Failover;
using Galaxy.Testing.Processes;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench failover [--labscapes N] [--silos S] [--workers W] [--activate-all]</c>: the failover drill of
/// <c>./galaxy test</c> at full size. A seeded galaxy in S silo processes with the gateway and a private PostgreSQL
/// (with --activate-all, every unit activated through the gateway first); then, under a learn load of W learners over
/// every unit, one silo killed with SIGKILL and PostgreSQL crashed and restarted. Reports acknowledged learns lost
/// (from the client's ledger) and the seconds until serving again.
/// </summary>
public sealed class FailoverBenchmark : IBenchmark
{
    private const int UnitsPerLabscape = 4096;

    public string Name => "failover";

    public string Description => "kill -9 a silo and crash PostgreSQL under learn load at full size: acknowledged learns lost, seconds to recovery";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var labscapes = BenchArguments.Option(args, "--labscapes", 256);
        var silos = BenchArguments.Option(args, "--silos", 3);
        var workers = BenchArguments.Option(args, "--workers", 512);
        var units = labscapes * UnitsPerLabscape;
        if (silos < 2)
        {
            throw new ArgumentException("The drill kills one silo and needs another to fail over to: --silos 2 or more.");
        }

        var setUp = Stopwatch.StartNew();
        await using var galaxy = await LocalGalaxy.StartAsync(new LocalGalaxyOptions(silos, labscapes, UnitsPerLabscape, Seed: true), cancellationToken);
        galaxy.KeepLogs = true;
        Console.WriteLine($"{units:N0} units seeded, {silos} silos and the gateway up in {setUp.Elapsed.TotalSeconds:F0} s; logs in {galaxy.LogDirectory}");

        var drill = new FailoverDrill(galaxy, units, new FailoverDrillOptions
        {
            Workers = workers,
            ActivateAll = args.Contains("--activate-all"),
            WarmUp = TimeSpan.FromSeconds(15),
            Progress = line => Console.WriteLine($"[{setUp.Elapsed.TotalSeconds,5:F0} s] {line}"),
        });
        var result = await drill.RunAsync(cancellationToken);
        Console.WriteLine(result);
        if (result.UnexpectedAnswers > 0)
        {
            Console.WriteLine(galaxy.LastLines());
        }

        var size = $"{units:N0} units, {silos} silos, {workers} learners through the gateway";
        report.Record("failover.lost_acks", result.LostAcknowledged, "learns", $"{result.Acknowledged:N0} acknowledged; {size}");
        report.Record("failover.recovery_s", result.RecoverySeconds, "s",
            result.Recovered ? "from kill -9 of a silo to the last learner served again" : "NOT RECOVERED within the drill's bound");
        report.Record("failover.db_recovery_s", result.DatabaseRecoverySeconds, "s",
            result.DatabaseRecovered ? "from PostgreSQL's restart to the last learner served again" : "NOT RECOVERED within the drill's bound");
        report.Record("failover.db_outage_slowest_ms", result.OutageSlowestAnswerMs, "ms",
            $"slowest answer to a learn sent while PostgreSQL was down; {result.OutageFailures:N0} failed, {result.OutageFailuresNot503} of them not 503");
        report.Record("failover.outage_acks", result.OutageAcknowledged, "learns", "acknowledged while PostgreSQL was down (must be 0)");
        report.Record("failover.diverged_units", result.UnitsDiverged, "units",
            $"of {result.Units:N0} read back: counter or parameters off the ledger's replay (must be 0)");
        report.Record("failover.learns_per_s", result.LearnsPerSecondBeforeKill, "1/s", "durable learns through the gateway before the kill");
    }
}
