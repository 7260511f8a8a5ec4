using System.Net.Http.Headers;
using System.Text;
using Galaxy.Gateway.Guardian;
using Galaxy.Testing.Processes;

namespace Galaxy.Bench;

/// <summary>
/// Predicts through the gateway over HTTP from a loopback load generator in this process: the most it sustains
/// (closed loops of rising depth), then latency at half that rate (open loop).
/// </summary>
internal static class GatewayLoad
{
    public static async Task MeasureAsync(
        BenchReport report, string connectionString, string clusterId, long[] units, bool quick, CancellationToken cancellationToken)
    {
        var key = await ApiKeyStore.CreateAsync(connectionString, "serve-benchmark", "bench", cancellationToken);
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["ConnectionStrings:Galaxy"] = connectionString,
            ["Galaxy:Cluster:ClusterId"] = clusterId,
            ["Galaxy:Cluster:ServiceId"] = BenchSilo.ServiceId,
            ["Galaxy:RateLimits:Inference:PermitLimit"] = "1000000000",
        }, cancellationToken: cancellationToken);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseCookies = false })
        {
            BaseAddress = gateway.Address,
        };
        http.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        var body = Encoding.UTF8.GetBytes("{\"input\":[" + string.Join(',', Enumerable.Range(0, 16).Select(i => (i / 16.0).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]}");
        var paths = units.Select(unit => $"/v1/units/{unit}/predict").ToArray();

        async Task PredictAsync(long n)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(paths[n % paths.Length], content, cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        var phase = TimeSpan.FromSeconds(quick ? 3 : 6);
        await ClosedLoop.RunAsync(64, TimeSpan.FromSeconds(quick ? 4 : 10), (w, i) => PredictAsync(w * 7_919L + i), cancellationToken);
        var best = 0.0;
        foreach (var concurrency in new[] { 16, 64, 256 })
        {
            var figures = await ClosedLoop.RunAsync(concurrency, phase, (w, i) => PredictAsync(w * 7_919L + i), cancellationToken);
            report.Record($"serve.gateway_per_s.c{concurrency}", figures.PerSecond, "1/s", $"HTTP predicts, closed loop; p99 {figures.P99Ms:F1} ms; {figures.Failures} failed");
            best = Math.Max(best, figures.PerSecond);
        }

        report.Record("serve.gateway_per_s", best, "1/s", "the most the gateway sustained, load generator on the same 2 cores");
        // The open loop's own path (its pacing, new connections for its depth) settles before it is measured.
        await OpenLoop.RunAsync(best / 2, phase / 2, 1024, PredictAsync, cancellationToken);
        var half = await OpenLoop.RunAsync(best / 2, phase, 1024, PredictAsync, cancellationToken);
        report.Record("serve.gateway_p50_ms", half.P50Ms, "ms", $"open loop at {best / 2:N0}/s");
        report.Record("serve.gateway_p95_ms", half.P95Ms, "ms", $"open loop at {best / 2:N0}/s");
        report.Record("serve.gateway_p99_ms", half.P99Ms, "ms", $"open loop at {best / 2:N0}/s; {half.Failures} failed");
    }
}
