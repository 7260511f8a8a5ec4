using Galaxy.Client;
using Galaxy.Testing;
using Galaxy.Testing.Processes;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// What an operator keeps of a running galaxy, every part in its own process at its default settings: the logs of a
/// thousand predicts stay small (no line per request), and a silo's metrics port counts them.
/// </summary>
public sealed class OperatorTelemetryTests
{
    private const int Predicts = 1_000;
    private const long MostLogBytes = 200 * 1024;
    private const string Marker = "Sign-in refused";

    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => i / 16f).ToArray();

    [Fact]
    public async Task A_thousand_predicts_add_under_200_KB_of_logs_and_move_the_silos_metrics()
    {
        await using var galaxy = await LocalGalaxy.StartAsync(new LocalGalaxyOptions(Silos: 1, Labscapes: 2, UnitsPerLabscape: 8));
        try
        {
            using var http = galaxy.CreateHttpClient(TimeSpan.FromSeconds(60));
            using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var client = await galaxy.SignInAsync(http);
            for (var unit = 0; unit < 16; unit++)
            {
                await ColdStart.UntilAnsweredAsync(() => client.PredictAsync(unit, Input));
            }

            await RefusedSignInLoggedAsync(galaxy, http);
            var logsBefore = LogBytes(galaxy);
            var metricsBefore = new PrometheusScrape(await scraper.GetStringAsync(galaxy.SiloMetrics[0]));

            for (var i = 0; i < Predicts; i++)
            {
                await client.PredictAsync(i % 16, Input);
            }

            // A refused sign-in logs one line at the default level; once it is in the file, so is all that came before.
            await RefusedSignInLoggedAsync(galaxy, http);
            var added = LogBytes(galaxy) - logsBefore;
            Assert.True(added < MostLogBytes, $"{Predicts} predicts added {added:N0} bytes of logs");

            var metricsAfter = new PrometheusScrape(await scraper.GetStringAsync(galaxy.SiloMetrics[0]));
            Assert.True(
                metricsAfter.Sum("galaxy_labscape_request_duration_seconds_count") - metricsBefore.Sum("galaxy_labscape_request_duration_seconds_count") >= Predicts,
                "the silo's labscape histogram did not count the predicts");
            Assert.True(metricsAfter.Has("dotnet_gc_pause_time_seconds_total"));
            Assert.Contains(metricsAfter.Text.Split('\n'), line => line.StartsWith("orleans_", StringComparison.Ordinal));
        }
        catch
        {
            galaxy.KeepLogs = true;
            throw;
        }
    }

    private static long LogBytes(LocalGalaxy galaxy) =>
        Directory.GetFiles(galaxy.LogDirectory, "*.log").Sum(file => new FileInfo(file).Length);

    private static async Task RefusedSignInLoggedAsync(LocalGalaxy galaxy, HttpClient http)
    {
        var gatewayLog = galaxy.Gateway!.Process.LogFile!;
        var seen = Occurrences(gatewayLog);
        var refusal = new GalaxyClient(http, new GalaxyClientOptions { MaxRetries = 0 });
        await Assert.ThrowsAsync<GalaxyAuthenticationException>(() => refusal.SignInAsync(LocalGalaxy.AccountName, "not the password"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Occurrences(gatewayLog) == seen)
        {
            Assert.True(DateTime.UtcNow < deadline, "the refused sign-in was not logged in 30 s");
            await Task.Delay(100);
        }
    }

    private static int Occurrences(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var count = 0;
        for (var at = text.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Marker, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
