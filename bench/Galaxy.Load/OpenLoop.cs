using System.Diagnostics;
using System.Globalization;

namespace Galaxy.Load;

/// <summary>
/// An open-loop load at a fixed rate: operation n is due at <c>start + n / rate</c> whether or not earlier ones have
/// finished, and its latency counts from when it was due. A closed loop would wait out a stall and under-report it
/// (coordinated omission); this one does not.
/// </summary>
/// <remarks>
/// The pacer is a thread of its own that sleeps until the next operation is due (a millisecond at most, so
/// operations start up to about a millisecond late, counted against the system). Paced from the thread pool instead,
/// it waited behind the very work it was measuring and added 1.3 ms to the median.
/// </remarks>
public static class OpenLoop
{
    /// <summary>
    /// <see cref="RunAsync"/> for <paramref name="duration"/> after half as long unmeasured at the same rate, so that
    /// the path under it (connections, threads, code) has settled into that rate first.
    /// </summary>
    public static async Task<LoadFigures> RunSettledAsync(
        double perSecond, TimeSpan duration, int maxInFlight, Func<long, Task> operation, CancellationToken cancellationToken)
    {
        await RunAsync(perSecond, duration / 2, maxInFlight, operation, cancellationToken);
        return await RunAsync(perSecond, duration, maxInFlight, operation, cancellationToken);
    }

    /// <param name="timeline">
    /// Where to write each operation once the run is over, in order of when it was due (<see cref="WriteTimelineAsync"/>),
    /// so that the slow ones can be placed in time beside what else the machine did; none when null.
    /// </param>
    public static async Task<LoadFigures> RunAsync(
        double perSecond, TimeSpan duration, int maxInFlight, Func<long, Task> operation, CancellationToken cancellationToken,
        TextWriter? timeline = null)
    {
        var total = (long)(perSecond * duration.TotalSeconds);
        var latencies = new long[total];
        var failed = new bool[total];
        var (started, startedUtc) = (Stopwatch.GetTimestamp(), DateTime.UtcNow);
        var ticksPerOperation = Stopwatch.Frequency / perSecond;
        using var inFlight = new SemaphoreSlim(maxInFlight);

        async Task RunOneAsync(long index, long due)
        {
            try
            {
                await operation(index);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                failed[index] = true;
            }
            finally
            {
                latencies[index] = Stopwatch.GetTimestamp() - due;
                inFlight.Release();
            }
        }

        void Pace()
        {
            for (long n = 0; n < total && !cancellationToken.IsCancellationRequested; n++)
            {
                var due = started + (long)(n * ticksPerOperation);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(1);
                }

                inFlight.Wait(cancellationToken);
                var index = n;
                ThreadPool.UnsafeQueueUserWorkItem(_ => _ = RunOneAsync(index, due), null);
            }

            // Holding every permit means every operation has finished; keeping their tasks instead would have the
            // generator's own garbage promoted at each collection, lengthening the pauses it measures.
            for (var permit = 0; permit < maxInFlight; permit++)
            {
                inFlight.Wait(CancellationToken.None);
            }
        }

        await Task.Factory.StartNew(Pace, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (timeline is not null)
        {
            await WriteTimelineAsync(timeline, started, startedUtc, ticksPerOperation, latencies, failed);
        }

        var succeeded = latencies.Where((_, i) => !failed[i]).ToArray();
        Array.Sort(succeeded);
        return new LoadFigures(
            succeeded.Length,
            total - succeeded.Length,
            seconds,
            ClosedLoop.PercentileMs(succeeded, 0.50),
            ClosedLoop.PercentileMs(succeeded, 0.95),
            ClosedLoop.PercentileMs(succeeded, 0.99));
    }

    /// <summary>
    /// One tab-separated line an operation, after a header: when it was due, as UTC and as seconds of the clock that
    /// <see cref="Stopwatch"/> reads (on Linux <c>CLOCK_MONOTONIC</c>, the clock <c>perf record -k mono</c> stamps events
    /// with), its latency and whether it failed.
    /// </summary>
    private static async Task WriteTimelineAsync(TextWriter timeline, long started, DateTime startedUtc, double ticksPerOperation, long[] latencies, bool[] failed)
    {
        await timeline.WriteLineAsync("due_utc\tdue_monotonic_s\tlatency_ms\tfailed");
        for (var n = 0; n < latencies.Length; n++)
        {
            var dueTicks = (long)(n * ticksPerOperation);
            await timeline.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{startedUtc.AddSeconds((double)dueTicks / Stopwatch.Frequency):O}\t{(double)(started + dueTicks) / Stopwatch.Frequency:F6}\t{latencies[n] * 1000.0 / Stopwatch.Frequency:F3}\t{(failed[n] ? 1 : 0)}"));
        }

        await timeline.FlushAsync();
    }
}
