using Galaxy.Bench;

IBenchmark[] benchmarks =
[
    new KernelsBenchmark(),
    new StorageBenchmark(),
    new ServeBenchmark(),
    new GatewayBenchmark(),
    new GalaxyBenchmark(),
    new FailoverBenchmark(),
    new RecoveryBenchmark(),
    new SoakBenchmark(),
    new StressBenchmark(),
    new TrainingBenchmark(),
    new DeployBenchmark(),
    new GuardianBenchmark(),
    new OptimizeBenchmark(),
];

if (args.Length == 0 || benchmarks.All(b => b.Name != args[0]))
{
    Console.Error.WriteLine("usage: galaxy bench NAME [options]");
    foreach (var b in benchmarks)
    {
        Console.Error.WriteLine($"  {b.Name,-10} {b.Description}");
    }

    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var benchmark = benchmarks.Single(b => b.Name == args[0]);
var report = new BenchReport(benchmark.Name);
await benchmark.RunAsync(report, args[1..], cancellation.Token);
report.PrintSummary();
return 0;
