using System.CommandLine;
using System.Diagnostics;
using Galaxy.Grains;
using Galaxy.Persistence;
using Galaxy.Silo.Seeding;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary><c>galaxy-cli seed</c>: every unit and labscape of the galaxy gets its initial state, resumably.</summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var labscapes = new Option<int>("--labscapes") { Description = "Labscapes in the galaxy", DefaultValueFactory = _ => 256 };
        var unitsPerLabscape = new Option<int>("--units-per-labscape") { Description = "Units in each labscape", DefaultValueFactory = _ => 4096 };
        var serviceId = new Option<string>("--service-id") { Description = "The cluster's Galaxy:Cluster:ServiceId", DefaultValueFactory = _ => "galaxy" };
        var parallelism = new Option<int>("--parallel") { Description = "Labscapes written at once", DefaultValueFactory = _ => 2 };
        var command = new Command("seed", "Write the initial state of every unit and labscape that has none yet (idempotent, resumable).")
        {
            labscapes, unitsPerLabscape, serviceId, parallelism,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new GalaxyTopologyOptions
            {
                Labscapes = result.GetValue(labscapes),
                UnitsPerLabscape = result.GetValue(unitsPerLabscape),
            }.ToTopology(),
            result.GetValue(serviceId)!,
            Math.Max(1, result.GetValue(parallelism)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(GalaxyTopology topology, string serviceId, int parallelism, CancellationToken cancellationToken)
    {
        var connectionString = Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable)
            ?? throw new InvalidOperationException($"{GalaxyConnection.EnvironmentVariable} is not set (./galaxy seed sets it).");
        await new SchemaMigrator().ApplyAsync(connectionString, cancellationToken);
        await using var seeder = new GalaxySeeder(connectionString, serviceId, topology, new BatchingOptions().ToSettings(), TimeProvider.System);

        var stopwatch = Stopwatch.StartNew();
        long written = 0;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"seeding {topology.UnitCount:N0} units in {topology.Labscapes} labscapes", maxValue: topology.Labscapes);
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, topology.Labscapes),
                    new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                    async (labscape, token) =>
                    {
                        Interlocked.Add(ref written, await seeder.SeedLabscapeAsync(labscape, token));
                        task.Increment(1);
                    });
            });

        var seconds = stopwatch.Elapsed.TotalSeconds;
        AnsiConsole.MarkupLine(
            $"[green]seeded[/] {written:N0} new unit rows ({topology.UnitCount - written:N0} were already there) in {seconds:F1} s" +
            (written > 0 ? $", {written / seconds:N0} rows/s" : ""));
        return 0;
    }
}
