using System.Globalization;
using Galaxy.Load;

namespace Galaxy.Operations.Tests;

/// <summary>
/// <c>galaxy-load --latencies FILE</c> writes each measured request in order of when it was due, so that a tail can be
/// placed in time beside what else the machine did (issue #21: the slow requests lined up with the kernel's own
/// threads). Written here by the open loop itself, against operations whose outcome the test chooses.
/// </summary>
public sealed class OpenLoopTimelineTests
{
    private const double PerSecond = 200;

    [Fact]
    public async Task The_timeline_has_a_line_a_request_in_due_order_each_due_one_interval_after_the_last_and_its_failure_marked()
    {
        using var timeline = new StringWriter(CultureInfo.InvariantCulture);

        var figures = await OpenLoop.RunAsync(
            PerSecond, TimeSpan.FromSeconds(0.5), 16, index => index % 10 == 3 ? Task.FromException(new IOException("refused")) : Task.CompletedTask,
            CancellationToken.None, timeline);

        var lines = timeline.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("due_utc\tdue_monotonic_s\tlatency_ms\tfailed", lines[0]);
        var rows = lines.Skip(1).Select(line => line.Split('\t')).ToArray();
        Assert.Equal(100, rows.Length);
        Assert.Equal(figures.Operations + figures.Failures, rows.Length);
        for (var n = 0; n < rows.Length; n++)
        {
            var (dueUtc, dueMonotonic, latencyMs) = (DateTime.Parse(rows[n][0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                double.Parse(rows[n][1], CultureInfo.InvariantCulture), double.Parse(rows[n][2], CultureInfo.InvariantCulture));
            Assert.Equal(DateTimeKind.Utc, dueUtc.Kind);
            Assert.True(latencyMs >= 0, $"request {n}: latency {latencyMs} ms");
            Assert.Equal(n % 10 == 3 ? "1" : "0", rows[n][3]);
            if (n > 0)
            {
                var previousUtc = DateTime.Parse(rows[n - 1][0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                Assert.Equal(1000 / PerSecond, (dueUtc - previousUtc).TotalMilliseconds, precision: 2);
                Assert.Equal(1 / PerSecond, dueMonotonic - double.Parse(rows[n - 1][1], CultureInfo.InvariantCulture), precision: 5);
            }
        }
    }
}
