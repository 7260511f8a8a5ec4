using Galaxy.Operations.Backup;
using Galaxy.Testing.Processes;
using Galaxy.Testing.Recovery;
using Xunit.Abstractions;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// The recovery drill (issue #20) at reduced size, every part in its own process: two silos, the gateway and a private
/// PostgreSQL that archives its WAL every 2 s. Under a learn load a base backup is taken, learning goes on, the data
/// folder is destroyed, and the database is restored to the last archived moment: nothing acknowledged at or before
/// it may be missing; the registry, the training job and the audit chain come back. <c>./galaxy bench recovery</c>
/// runs it at full size with the default 60 s archive timeout.
/// </summary>
public sealed class ProcessRecoveryTests(ITestOutputHelper output)
{
    private const int Labscapes = 4;
    private const int UnitsPerLabscape = 32;

    [Fact]
    public async Task A_destroyed_data_folder_restored_to_the_last_archived_moment_loses_no_learn_acknowledged_before_it()
    {
        var backups = Directory.CreateTempSubdirectory("galaxy-backups-");
        // The server's account (postgres, when the tests run as root) must reach the archive inside it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(backups.FullName, (UnixFileMode)0b111_101_101);
        }

        try
        {
            await RestoreDrillAsync(backups);
        }
        finally
        {
            // Only once the galaxy has stopped: until then its server archives WAL into the folder every 2 s.
            backups.Delete(recursive: true);
        }
    }

    private async Task RestoreDrillAsync(DirectoryInfo backups)
    {
        await using var galaxy = await LocalGalaxy.StartAsync(
            new LocalGalaxyOptions(Silos: 2, Labscapes, UnitsPerLabscape, Seed: true, PostgresSettings: ["archive_mode=on"]));
        await AssertSilosReadyAsync(galaxy);
        var drill = new RecoveryDrill(
            galaxy, Labscapes * UnitsPerLabscape,
            new BackupOptions { Directory = backups.FullName, ArchiveTimeoutSeconds = 2 }.Validate(),
            new RecoveryDrillOptions { Workers = 32, Progress = output.WriteLine });

        RecoveryReport report;
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
        Assert.True(report.Acknowledged > 0, "no learn was acknowledged");
        Assert.Equal(0, report.LostBeforeRestorePoint);
        Assert.True(report.RecoveredFromArchive > 0, "no learn acknowledged after the backup came back: the archive was not replayed");
        Assert.Equal(0, report.UnitsDiverged);
        Assert.Equal(0, report.Anomalies);
        Assert.Null(report.ControlPlaneProblem);
        Assert.True(report.AuditIntact, report.RestoredDatabase);
        // Archived every 2 s: what the loss cost is bounded by that, plus the time a busy machine takes to archive.
        Assert.True(report.RecoveryPointSeconds <= 10, $"the loss cost {report.RecoveryPointSeconds:F1} s of acknowledged learns");
        await AssertTokenCommandSignsInAsync(galaxy);
    }

    // The banner of ./galaxy up shows curl -H "Authorization: Bearer $(./galaxy token)": the token the CLI prints is
    // one the gateway accepts.
    private static async Task AssertTokenCommandSignsInAsync(LocalGalaxy galaxy)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     RepositoryBuild.AssemblyOf("Client/Cli/galaxy-cli"), "token", "--gateway", galaxy.GatewayAddress.ToString(),
                     "--user", LocalGalaxy.AccountName, "--password", LocalGalaxy.AccountPassword,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = System.Diagnostics.Process.Start(start)!;
        var token = (await cli.StandardOutput.ReadToEndAsync()).Trim();
        var errors = await cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        Assert.True(cli.ExitCode == 0, errors);

        using var http = galaxy.CreateHttpClient(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/units/0") { Headers = { { "Authorization", $"Bearer {token}" } } };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    // What Kubernetes probes (deploy/kubernetes): every silo live, and ready once Active in the membership.
    private static async Task AssertSilosReadyAsync(LocalGalaxy galaxy)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var silo in galaxy.SiloHealth)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(silo, "/health/live"))).StatusCode);
            var ready = await http.GetAsync(new Uri(silo, "/health/ready"));
            Assert.True(ready.IsSuccessStatusCode, $"{silo}: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
        }
    }
}
