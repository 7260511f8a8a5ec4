using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Galaxy.Kernels;

namespace Galaxy.Bench;

/// <summary>
/// <c>galaxy bench kernels</c>: this machine's memory read bandwidth, then for each available backend the forward
/// throughput at batch sizes 1, 64, 1,024 and 4,096 on the default 16-16-4 unit (rows/s, GFLOP/s, effective GB/s
/// and its fraction of the read bandwidth), and the galaxy tick: one forward pass of all 256 × 4,096 units.
/// Options: <c>--quick</c> (shorter windows), <c>--backends simd,ilgpucpu,cuda,opencl</c>.
/// </summary>
public sealed class KernelsBenchmark : IBenchmark
{
    private const int UnitsPerTable = 4096;
    private const int GalaxyTables = 256;
    private const int TablesToDefeatCaches = 48;
    private const int IlgpuCpuTickTables = 2;
    private static readonly int[] BatchSizes = [1, 64, 1024, 4096];
    private static readonly MlpArchitecture Unit = MlpArchitecture.Default;

    public string Name => "kernels";

    public string Description => "Kernel throughput per backend vs memory bandwidth, and the 1,048,576-unit galaxy tick.";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var quick = args.Contains("--quick");
        var window = TimeSpan.FromSeconds(quick ? 0.3 : 1.0);
        Console.WriteLine(
            $"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}, "
            + $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.FrameworkDescription}, "
            + $"Vector<float> {Vector<float>.Count} lanes");

        // Bandwidth drifts on a shared or virtualised machine, so it is sampled before, between and after the kernel
        // figures, and every roofline is taken against the best sample: fractions err low, never high.
        using var bandwidth = new MemoryBandwidthProbe();
        bandwidth.MeasureReadGigabytesPerSecond(repeats: quick ? 3 : 7);
        var rooflines = new List<(string Name, double GigabytesPerSecond)>();
        foreach (var kind in SelectedBackends(args))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var backend = ComputeBackends.Create(new ComputeOptions { Backend = kind });
            Console.WriteLine($"backend: {backend.Name}");
            var emulator = kind == ComputeBackendKind.IlgpuCpu;
            var run = new Run(report, bandwidth, rooflines, kind.ToString().ToLowerInvariant(), emulator, window, quick);
            await MeasureBatchesAsync(run, backend, emulator ? 1 : TablesToDefeatCaches, cancellationToken);
            await MeasureTickAsync(run, backend, emulator ? IlgpuCpuTickTables : GalaxyTables);
        }

        bandwidth.MeasureReadGigabytesPerSecond(repeats: 3);
        report.Record(
            "kernels.read_bandwidth_gbs", bandwidth.BestGigabytesPerSecond, "GB/s", "best Vector<T> streaming sum of 1 GiB, all cores, sampled throughout");
        foreach (var (name, gigabytesPerSecond) in rooflines)
        {
            report.Record(name, gigabytesPerSecond / bandwidth.BestGigabytesPerSecond, "fraction", "of the measured read bandwidth");
        }
    }

    private static IEnumerable<ComputeBackendKind> SelectedBackends(IReadOnlyList<string> args)
    {
        var option = args.SkipWhile(a => a != "--backends").Skip(1).FirstOrDefault();
        var requested = option?.Split(',').Select(name => Enum.Parse<ComputeBackendKind>(name, ignoreCase: true)).ToArray()
            ?? [ComputeBackendKind.Simd, ComputeBackendKind.IlgpuCpu, ComputeBackendKind.Cuda, ComputeBackendKind.OpenCL];
        foreach (var kind in requested)
        {
            if (ComputeBackends.IsAvailable(kind))
            {
                yield return kind;
            }
            else
            {
                Console.WriteLine($"backend: {kind} not available here, skipped");
            }
        }
    }

    /// <summary>
    /// Forward batches of random distinct slots, cycling over enough tables that the weights come from memory, not
    /// cache (48 × 1.4 MB, beyond any L3 here); best of three windows per batch size after a warm-up.
    /// </summary>
    private static async Task MeasureBatchesAsync(Run run, IComputeBackend backend, int tableCount, CancellationToken cancellationToken)
    {
        var tables = await CreateTablesAsync(backend, tableCount);
        try
        {
            var random = new Random(7);
            var slots = Enumerable.Range(0, UnitsPerTable).OrderBy(_ => random.Next()).ToArray();
            var inputs = RandomInputs(random, UnitsPerTable);
            var outputs = new float[UnitsPerTable * Unit.Outputs];
            var calls = 0;

            async Task<double> RowsPerSecond(int rows, TimeSpan duration)
            {
                var stopwatch = Stopwatch.StartNew();
                var done = 0L;
                do
                {
                    // Each call takes the next stretch of the shuffled slots on the next table: no weights repeat
                    // until all 48 tables have gone by.
                    var table = tables[calls % tables.Length];
                    var first = calls++ / tables.Length * rows % (UnitsPerTable - rows + 1);
                    await table.ForwardAsync(
                        slots.AsMemory(first, rows), inputs.AsMemory(0, rows * Unit.Inputs), outputs.AsMemory(0, rows * Unit.Outputs));
                    done += rows;
                }
                while (stopwatch.Elapsed < duration);
                return done / stopwatch.Elapsed.TotalSeconds;
            }

            // Warm-up: lets the JIT reach its final tier on every path measured below (seconds on 2 cores).
            var warmUp = run.Emulator ? TimeSpan.Zero : TimeSpan.FromSeconds(run.Quick ? 2 : 8);
            foreach (var rows in BatchSizes)
            {
                await RowsPerSecond(rows, warmUp / BatchSizes.Length);
            }

            var bytesPerRow = 4.0 * (Unit.ParameterCount + Unit.Inputs + Unit.Outputs);
            var flopsPerRow = 2.0 * Unit.ForwardMultiplyAdds;
            foreach (var rows in BatchSizes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run.SampleBandwidth();
                var best = 0.0;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    best = Math.Max(best, await RowsPerSecond(rows, run.Window));
                }

                var name = $"kernels.{run.Label}.b{rows}";
                run.Report.Record($"{name}.rows_per_s", best, "rows/s", $"{Unit} forward, batch {rows}");
                run.Report.Record($"{name}.gflops", best * flopsPerRow / 1e9, "GFLOP/s", "2 × multiply-adds");
                run.Throughput($"{name}.gbs", $"{name}.roofline", best * bytesPerRow / 1e9);
            }
        }
        finally
        {
            Array.ForEach(tables, table => table.Dispose());
        }
    }

    /// <summary>The galaxy tick: ForwardAll on every table in turn; on a slow backend a few tables, extrapolated.</summary>
    private static async Task MeasureTickAsync(Run run, IComputeBackend backend, int tableCount)
    {
        var tables = await CreateTablesAsync(backend, tableCount);
        try
        {
            var random = new Random(8);
            var inputs = tables.Select(_ => RandomInputs(random, UnitsPerTable)).ToArray();
            var outputs = tables.Select(_ => new float[UnitsPerTable * Unit.Outputs]).ToArray();
            var times = new List<double>();
            var ticks = tableCount < GalaxyTables ? 2 : run.Quick ? 4 : 9;
            run.SampleBandwidth();
            for (var tick = 0; tick < ticks; tick++)
            {
                var stopwatch = Stopwatch.StartNew();
                for (var t = 0; t < tables.Length; t++)
                {
                    await tables[t].ForwardAllAsync(inputs[t], outputs[t]);
                }

                times.Add(stopwatch.Elapsed.TotalMilliseconds * GalaxyTables / tableCount);
            }

            // The first tick is the warm-up.
            times.RemoveAt(0);
            times.Sort();
            var best = times[0];
            var extrapolated = tableCount < GalaxyTables ? $"extrapolated from {tableCount} of {GalaxyTables} tables" : "all 256 tables";
            var bytes = (double)GalaxyTables * UnitsPerTable * 4 * (Unit.ParameterCount + Unit.Inputs + Unit.Outputs);
            run.Report.Record($"kernels.tick_ms.{run.Label}", best, "ms", $"best of {times.Count}, {extrapolated}");
            run.Report.Record($"kernels.tick_ms_median.{run.Label}", times[times.Count / 2], "ms", $"median of {times.Count}");
            run.Throughput($"kernels.tick_gbs.{run.Label}", $"kernels.tick_roofline.{run.Label}", bytes / (best / 1e3) / 1e9);
        }
        finally
        {
            Array.ForEach(tables, table => table.Dispose());
        }
    }

    /// <summary>Tables of 4,096 default units with each unit's deterministic initial weights.</summary>
    private static async Task<IParameterTable[]> CreateTablesAsync(IComputeBackend backend, int count)
    {
        var tables = new IParameterTable[count];
        var p = Unit.ParameterCount;
        var weights = new float[count][];
        Parallel.For(0, count, t =>
        {
            weights[t] = new float[UnitsPerTable * p];
            for (var u = 0; u < UnitsPerTable; u++)
            {
                Unit.InitializeParameters((long)t * UnitsPerTable + u, weights[t].AsSpan(u * p, p));
            }
        });
        for (var t = 0; t < count; t++)
        {
            tables[t] = backend.CreateTable(Unit, UnitsPerTable);
            await tables[t].LoadUnitsAsync(0, weights[t]);
            weights[t] = [];
        }

        return tables;
    }

    private static float[] RandomInputs(Random random, int rows)
    {
        var inputs = new float[rows * Unit.Inputs];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = 2f * random.NextSingle() - 1f;
        }

        return inputs;
    }

    /// <summary>One backend's measuring context: where figures go, and the bandwidth they are judged against.</summary>
    private sealed record Run(
        BenchReport Report,
        MemoryBandwidthProbe Bandwidth,
        List<(string Name, double GigabytesPerSecond)> Rooflines,
        string Label,
        bool Emulator,
        TimeSpan Window,
        bool Quick)
    {
        /// <summary>Two quick bandwidth samples right before a measurement (skipped for the slow emulator).</summary>
        public void SampleBandwidth()
        {
            if (!Emulator)
            {
                Bandwidth.MeasureReadGigabytesPerSecond(repeats: 2);
            }
        }

        /// <summary>Records an effective GB/s now; its roofline is recorded at the end, against the best bandwidth.</summary>
        public void Throughput(string name, string rooflineName, double gigabytesPerSecond)
        {
            Report.Record(name, gigabytesPerSecond, "GB/s", "weights + inputs + outputs");
            Rooflines.Add((rooflineName, gigabytesPerSecond));
        }
    }
}
