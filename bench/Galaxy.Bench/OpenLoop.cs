using System.Diagnostics;

namespace Galaxy.Bench;

/// <summary>
/// An open-loop load at a fixed rate: operation n is due at <c>start + n / rate</c> whether or not earlier ones have
/// finished, and its latency counts from when it was due. A closed loop would wait out a stall and under-report it
/// (coordinated omission); this one does not.
/// </summary>
public static class OpenLoop
{
    public static async Task<LoadFigures> RunAsync(
        double perSecond, TimeSpan duration, int maxInFlight, Func<long, Task> operation, CancellationToken cancellationToken)
    {
        var total = (long)(perSecond * duration.TotalSeconds);
        var latencies = new long[total];
        var failed = new bool[total];
        var started = Stopwatch.GetTimestamp();
        var ticksPerOperation = Stopwatch.Frequency / perSecond;
        using var inFlight = new SemaphoreSlim(maxInFlight);
        var pending = new List<Task>(capacity: (int)Math.Min(total, 1 << 20));
        for (long n = 0; n < total && !cancellationToken.IsCancellationRequested; n++)
        {
            var due = started + (long)(n * ticksPerOperation);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait * 1000 > Stopwatch.Frequency)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            var index = n;
            pending.Add(Task.Run(async () =>
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
            }, cancellationToken));
        }

        await Task.WhenAll(pending);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
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
}
