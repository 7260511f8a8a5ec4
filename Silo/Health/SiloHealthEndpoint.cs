using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Galaxy.Silo.Health;

/// <summary>
/// <c>GET /health/live</c> (200 while the process serves HTTP) and <c>GET /health/ready</c> (200 while this silo is
/// Active in the cluster's membership, 503 while it joins, shuts down or has been declared dead) on
/// <see cref="SiloHealthOptions.Port"/>: a silo has no web host, so a plain listener answers the probes.
/// </summary>
internal sealed partial class SiloHealthEndpoint(
    IOptions<SiloHealthOptions> options, IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<SiloHealthEndpoint> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://*:{options.Value.Port}/health/");
        listener.Start();
        LogListening(options.Value.Port);
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var (status, text) = context.Request.Url?.AbsolutePath.TrimEnd('/') switch
        {
            "/health/live" => (200, "Healthy"),
            "/health/ready" => Ready(),
            _ => (404, "Not found"),
        };
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    private (int Status, string Text) Ready()
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return status == SiloStatus.Active ? (200, "Healthy: Active") : (503, $"Unhealthy: {status}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoint on port {Port}: /health/live, /health/ready")]
    private partial void LogListening(int port);
}
