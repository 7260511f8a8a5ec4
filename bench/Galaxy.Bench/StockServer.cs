using System.Diagnostics;
using System.Globalization;
using Galaxy.Testing.Processes;

namespace Galaxy.Bench;

/// <summary>
/// Stock ASP.NET Core (<c>bench/Galaxy.Stock</c>: Kestrel and one route) in a process of its own with the gateway's
/// runtime settings, and an open loop of probes to it from this process: what the machine leaves any .NET server at a
/// rate, beside what it leaves the gateway.
/// </summary>
internal sealed class StockServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(60);

    private readonly AppProcess _process;
    private readonly HttpClient _http;
    private readonly CancellationToken _cancellationToken;

    private StockServer(AppProcess process, HttpClient http, CancellationToken cancellationToken) =>
        (_process, _http, _cancellationToken) = (process, http, cancellationToken);

    public static async Task<StockServer> StartAsync(CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}");
        var process = AppProcess.Start(
            "stock", "bench/Galaxy.Stock/Galaxy.Stock", new Dictionary<string, string> { ["urls"] = address.ToString() }, environment: DeployedEnvironment.Gateway());
        var stock = new StockServer(process, new HttpClient(GatewayProcess.Handler(null)) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) }, cancellationToken);
        try
        {
            await stock.WaitReadyAsync();
            return stock;
        }
        catch
        {
            await stock.DisposeAsync();
            throw;
        }
    }

    /// <summary>The CPU its process has used.</summary>
    public TimeSpan ProcessorTime => _process.ProcessorTime;

    /// <summary>Probes at a fixed rate (an open loop) after half as long at that rate, as the gateway's are measured.</summary>
    public Task<LoadFigures> AtRateAsync(double perSecond, TimeSpan duration) =>
        OpenLoop.RunSettledAsync(perSecond, duration, 1024, ProbeAsync, _cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private async Task ProbeAsync(long n)
    {
        using var response = await _http.GetAsync("/health/live", _cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task WaitReadyAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The stock server exited before it answered.\n{_process.LastLines()}");
            }

            try
            {
                await ProbeAsync(0);
                return;
            }
            catch (HttpRequestException) when (waited.Elapsed < ReadyBound)
            {
                // Not listening yet.
            }

            await Task.Delay(250, _cancellationToken);
        }
    }
}
