using System.Net.Http.Headers;

namespace Galaxy.Load;

/// <summary>Sends the requests in turn over pooled loopback connections; any status but 2xx is a failure.</summary>
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<LoadRequest> _requests;
    private readonly MediaTypeHeaderValue _json = new("application/json");
    private string? _firstFailure;

    public LoadClient(Uri gateway, IReadOnlyList<LoadRequest> requests, string? apiKey, string? token)
    {
        _requests = requests;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false }) { BaseAddress = gateway };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        else if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public string? FirstFailure => _firstFailure;

    public async Task SendAsync(long n)
    {
        var request = _requests[(int)(n % _requests.Count)];
        try
        {
            using var content = request.JsonBody is null ? null : new ByteArrayContent(request.JsonBody) { Headers = { ContentType = _json } };
            using var response = content is null ? await _http.GetAsync(request.Path) : await _http.PostAsync(request.Path, content);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
            }
        }
        catch (Exception failure)
        {
            Interlocked.CompareExchange(ref _firstFailure, $"{request.Path}: {failure.Message}", null);
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
