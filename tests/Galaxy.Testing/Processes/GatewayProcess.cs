using System.Diagnostics;
using System.Globalization;

namespace Galaxy.Testing.Processes;

/// <summary>
/// The real gateway in a process of its own, as it runs in production, on a free loopback port; ready (its
/// <c>/health/ready</c> answers) when <see cref="StartAsync"/> returns, and killed when disposed.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(120);

    private readonly TestTls? _tls;

    private GatewayProcess(AppProcess process, Uri address, TestTls? tls)
    {
        Process = process;
        Address = address;
        _tls = tls;
    }

    /// <summary>A client handler that, with <paramref name="tls"/>, trusts the gateway's certificate only as issued by the test CA.</summary>
    public static SocketsHttpHandler Handler(TestTls? tls)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (tls is not null)
        {
            var certificates = tls.Load(tls.Gateway);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors is System.Net.Security.SslPolicyErrors.None or System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors
                && certificates.Validate(certificate, errors);
        }

        return handler;
    }

    public AppProcess Process { get; }

    public Uri Address { get; }

    /// <param name="settings">The gateway's settings, passed as <c>--key=value</c>.</param>
    /// <param name="logDirectory">Where its output goes, if anywhere.</param>
    /// <param name="cancellationToken">Stops the wait for readiness.</param>
    /// <param name="tls">Serve HTTPS only, with the gateway's certificate from these.</param>
    public static async Task<GatewayProcess> StartAsync(
        IReadOnlyDictionary<string, string> settings, string? logDirectory = null, CancellationToken cancellationToken = default, TestTls? tls = null)
    {
        var address = new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}");
        var all = new Dictionary<string, string>(settings) { ["urls"] = address.ToString() };
        if (tls is not null)
        {
            all["Kestrel:Certificates:Default:Path"] = tls.Gateway.Certificate;
            all["Kestrel:Certificates:Default:KeyPath"] = tls.Gateway.Key;
        }

        var process = AppProcess.Start("gateway", "Client/Gateway/Galaxy.Gateway", all, logDirectory, DeployedEnvironment.Gateway());
        var gateway = new GatewayProcess(process, address, tls);
        try
        {
            await gateway.WaitReadyAsync(cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(Handler(_tls)) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited before it was ready.\n{Process.LastLines()}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Starting on a busy machine: no answer within the client's timeout yet.
            }

            if (waited.Elapsed > ReadyBound)
            {
                throw new TimeoutException($"The gateway was not ready after {ReadyBound.TotalSeconds} s.\n{Process.LastLines()}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
