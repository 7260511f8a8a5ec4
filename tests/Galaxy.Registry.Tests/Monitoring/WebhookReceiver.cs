using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>
/// A real HTTP listener on loopback that answers each request with the next of <paramref name="statuses"/> (the last
/// one again when they run out) and keeps what it received.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<HttpStatusCode> _statuses;
    private readonly HttpStatusCode _last;
    private readonly Task _serving;

    public WebhookReceiver(params HttpStatusCode[] statuses)
    {
        (_statuses, _last) = (new Queue<HttpStatusCode>(statuses), statuses[^1]);
        Url = $"http://127.0.0.1:{FreePort()}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    /// <summary>A port nothing listens on (the kernel's choice, freed again).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception stopped) when (stopped is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var headers = context.Request.Headers.AllKeys.ToDictionary(key => key!, key => context.Request.Headers[key]!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new Received(headers, await reader.ReadToEndAsync(), context.Request.ContentType));
            context.Response.StatusCode = (int)(_statuses.TryDequeue(out var status) ? status : _last);
            context.Response.Close();
        }
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, string? ContentType);
}
