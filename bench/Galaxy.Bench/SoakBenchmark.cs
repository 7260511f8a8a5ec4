using System.Diagnostics;
using Galaxy.Client;
using Galaxy.Contracts;
using Galaxy.Testing.Processes;
using Npgsql;

namespace Galaxy.Bench;

/// <summary>
/// <c>./galaxy bench soak [--labscapes N] [--silos S] [--minutes M] [--workers W] [--learn-percent P]</c>: S silo processes
/// and the gateway on a seeded full galaxy, under a mixed load for M minutes (W clients predicting and learning on
/// random units, P % learns, a galaxy-wide tick every 15 s), bounded in time. Meanwhile every silo's health endpoint is
/// asked every 100 ms: its slowest answer is the longest pause that silo's probes would have seen (GC, starved
/// threads). At the end the membership table says whether a silo was declared dead; none was killed, so every death
/// is false.
/// </summary>
public sealed class SoakBenchmark : IBenchmark
{
    private const int UnitsPerLabscape = 4096;
    private const int Dead = 6;
    private static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(15);

    public string Name => "soak";

    public string Description => "three silos at full size under mixed load for 10 minutes: silos falsely declared dead, longest pause per silo";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var labscapes = BenchArguments.Option(args, "--labscapes", 256);
        var silos = BenchArguments.Option(args, "--silos", 3);
        var minutes = BenchArguments.Option(args, "--minutes", 10);
        var workers = BenchArguments.Option(args, "--workers", 128);
        var learnPercent = BenchArguments.Option(args, "--learn-percent", 20);
        var units = labscapes * UnitsPerLabscape;

        var clock = Stopwatch.StartNew();
        await using var galaxy = await LocalGalaxy.StartAsync(new LocalGalaxyOptions(silos, labscapes, UnitsPerLabscape, Seed: true), cancellationToken);
        galaxy.KeepLogs = true;
        Console.WriteLine($"{units:N0} units seeded, {silos} silos and the gateway up in {clock.Elapsed.TotalSeconds:F0} s; logs in {galaxy.LogDirectory}");

        using var http = galaxy.CreateHttpClient(TimeSpan.FromSeconds(30));
        var client = await galaxy.SignInAsync(http, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromMinutes(minutes));
        var counts = new long[4]; // predicts, learns, failures, ticks
        var pauses = new double[silos];
        var load = Enumerable.Range(0, workers).Select(worker => Task.Run(() => WorkAsync(client, units, learnPercent, worker, counts, stop.Token))).ToList();
        load.Add(Task.Run(() => TickAsync(client, counts, stop.Token)));
        var probes = galaxy.SiloHealth.Select((silo, i) => Task.Run(() => ProbeAsync(silo, i, pauses, stop.Token))).ToArray();
        var started = clock.Elapsed;
        using var progress = new PeriodicTimer(TimeSpan.FromSeconds(30));
        while (await WhenTickedAsync(progress, stop.Token))
        {
            Console.WriteLine(
                $"[{(clock.Elapsed - started).TotalSeconds,5:F0} s] {Interlocked.Read(ref counts[0]):N0} predicts, {Interlocked.Read(ref counts[1]):N0} learns, " +
                $"{Interlocked.Read(ref counts[2]):N0} failed, {Interlocked.Read(ref counts[3])} ticks; longest pause per silo {string.Join(" / ", pauses.Select(pause => $"{pause:F0}"))} ms");
        }

        await Task.WhenAll(load.Concat(probes));
        var seconds = (clock.Elapsed - started).TotalSeconds;
        var deaths = await DeathsAsync(galaxy, cancellationToken);
        var exited = galaxy.Silos.Count(silo => silo.HasExited);

        var size = $"{units:N0} units, {silos} silos, {workers} clients through the gateway, {learnPercent} % learns, {seconds / 60:F1} min";
        report.Record("soak.false_deaths", deaths, "silos", $"declared dead in the membership table, none killed (target 0); {exited} processes exited; {size}");
        report.Record("soak.max_pause_ms", pauses.Max(), "ms", $"slowest health answer, per silo: {string.Join(" / ", pauses.Select(pause => $"{pause:F0}"))} ms");
        report.Record("soak.predicts_per_s", counts[0] / seconds, "1/s", $"{counts[0]:N0} predicts served");
        report.Record("soak.learns_per_s", counts[1] / seconds, "1/s", $"{counts[1]:N0} durable learns served");
        report.Record("soak.failed", counts[2], "requests", $"answered with an error or not at all; {counts[3]} galaxy ticks");
    }

    /// <summary>The next progress line's moment, or false as soon as the soak ends (no waiting out the period).</summary>
    private static async Task<bool> WhenTickedAsync(PeriodicTimer progress, CancellationToken stop)
    {
        try
        {
            return await progress.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WorkAsync(GalaxyClient client, int units, int learnPercent, int worker, long[] counts, CancellationToken stop)
    {
        var random = new Random(worker);
        var input = Enumerable.Range(0, 16).Select(_ => random.NextSingle()).ToArray();
        float[] target = [1, 0, 0, 0];
        while (!stop.IsCancellationRequested)
        {
            var unit = random.Next(units);
            var learn = random.Next(100) < learnPercent;
            try
            {
                if (learn)
                {
                    await client.LearnAsync(unit, input, target, cancellationToken: stop);
                }
                else
                {
                    await client.PredictAsync(unit, input, cancellationToken: stop);
                }

                Interlocked.Increment(ref counts[learn ? 1 : 0]);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is GalaxyApiException or HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref counts[2]);
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task TickAsync(GalaxyClient client, long[] counts, CancellationToken stop)
    {
        var input = Enumerable.Range(0, 16).Select(i => i / 16f).ToArray();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TickEvery, stop);
                await client.TickAsync(input, stop);
                Interlocked.Increment(ref counts[3]);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is GalaxyApiException or HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref counts[2]);
            }
        }
    }

    // The silo's health endpoint answers from its thread pool: a pause of the process is an answer that long late.
    private static async Task ProbeAsync(Uri silo, int index, double[] pauses, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(60) };
        while (!stop.IsCancellationRequested)
        {
            var asked = Stopwatch.StartNew();
            try
            {
                using var answer = await http.GetAsync("/health/live", stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // A silo that stopped answering at all shows as the membership's verdict and an exited process.
            }

            pauses[index] = Math.Max(pauses[index], asked.Elapsed.TotalMilliseconds);
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task<int> DeathsAsync(LocalGalaxy galaxy, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(galaxy.Database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Status = $2", connection)
        {
            Parameters = { new() { Value = galaxy.ClusterId }, new() { Value = Dead } },
        };
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
