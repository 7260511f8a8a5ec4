using Galaxy.Testing.Failover;
using Galaxy.Testing.Processes;
using Xunit.Abstractions;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// The failover drill (issue #7) at reduced size, every part in its own process: three silos, the gateway and a private
/// PostgreSQL. Under a learn load through the gateway one silo is killed with SIGKILL, then PostgreSQL is crashed and
/// restarted; the client's ledger must find every acknowledged learn. <c>./galaxy bench failover</c> runs it at full
/// size and records the times.
/// </summary>
public sealed class ProcessFailoverTests(ITestOutputHelper output)
{
    private const int Labscapes = 6;
    private const int UnitsPerLabscape = 64;

    [Fact]
    public async Task A_killed_silo_and_a_crashed_database_lose_no_acknowledged_learn_and_the_cluster_serves_again()
    {
        await using var galaxy = await LocalGalaxy.StartAsync(new LocalGalaxyOptions(Silos: 3, Labscapes, UnitsPerLabscape));
        var drill = new FailoverDrill(galaxy, Labscapes * UnitsPerLabscape, new FailoverDrillOptions { Workers = 48, Progress = output.WriteLine });

        FailoverReport report;
        try
        {
            report = await drill.RunAsync();
        }
        catch (Exception exception)
        {
            galaxy.KeepLogs = true;
            throw new InvalidOperationException($"The drill failed: {exception.Message}\n{galaxy.LastLines()}", exception);
        }

        output.WriteLine(report.ToString());
        output.WriteLine($"process logs (kept unless every check passes): {galaxy.LogDirectory}");
        galaxy.KeepLogs = true;
        Assert.True(report.Acknowledged > 0, "no learn was acknowledged");
        Assert.Equal(0, report.LostAcknowledged);
        Assert.Equal(0, report.Anomalies);
        Assert.Equal(0, report.UnitsDiverged);
        Assert.Equal(0, report.UnexpectedAnswers);
        Assert.True(report.Recovered, $"still failing {report.RecoverySeconds:F1} s after the kill");
        Assert.True(report.OutageFailures > 0, "no learn failed while PostgreSQL was down");
        Assert.Equal(0, report.OutageFailuresNot503);
        Assert.Equal(0, report.OutageAcknowledged);
        Assert.True(report.DatabaseRecovered, $"still failing {report.DatabaseRecoverySeconds:F1} s after PostgreSQL restarted");
        galaxy.KeepLogs = false;
    }
}
