using System.Diagnostics;

namespace Galaxy.Load;

/// <summary>
/// A closed-loop load: <c>concurrency</c> workers each issue the next operation as soon as the last one completes,
/// for a fixed time. Every latency is kept (one long per operation, preallocated per worker) so percentiles are exact.
/// </summary>
/// <remarks>
/// Each worker is an independent caller: its next operation starts from the thread pool's global queue, as a request
/// arriving over the network does, not inline on the runtime thread that completed its last one. Inline, every worker
/// is a chain that never leaves one thread's local queue, which the thread pool serves last-in first-out: a few chains
/// run back to back while work queued beneath them waits until a new thread steals it, 200–400 ms on 2 cores. That is a
/// property of the load generator, not of the silo, and it hid everything else in the tail (BENCHMARKS.md, "Serving").
/// </remarks>
public static class ClosedLoop
{
    public static async Task<LoadFigures> RunAsync(
        int concurrency, TimeSpan duration, Func<int, long, Task> operation, CancellationToken cancellationToken)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency)
            .Select(worker => Task.Run(() => WorkAsync(worker, stopAt, operation, cancellationToken), cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoadFigures(
            latencies.Length,
            results.Sum(r => r.Failures),
            seconds,
            PercentileMs(latencies, 0.50),
            PercentileMs(latencies, 0.95),
            PercentileMs(latencies, 0.99));
    }

    public static double PercentileMs(long[] sortedTicks, double fraction) =>
        sortedTicks.Length == 0
            ? double.NaN
            : sortedTicks[Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(fraction * sortedTicks.Length) - 1)]
              * 1000.0 / Stopwatch.Frequency;

    private static async Task<(List<long> Latencies, long Failures)> WorkAsync(
        int worker, long stopAt, Func<int, long, Task> operation, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(4096);
        long failures = 0;
        for (long i = 0; Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested; i++)
        {
            await Task.Yield();
            var start = Stopwatch.GetTimestamp();
            try
            {
                await operation(worker, i);
                latencies.Add(Stopwatch.GetTimestamp() - start);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                failures++;
            }
        }

        return (latencies, failures);
    }
}
