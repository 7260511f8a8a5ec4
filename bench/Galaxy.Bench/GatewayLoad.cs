using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text;
using Galaxy.Gateway.Guardian;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Bench;

/// <summary>
/// The real gateway in a process of its own, configured as <c>./galaxy up</c> configures it (its own appsettings.json,
/// its metrics on unless asked otherwise), in front of the benchmark's silo, and a loopback HTTP load generator in this
/// process that posts through it with an API key (or a bearer token): unit predicts, or any list of JSON requests
/// taken in turn.
/// </summary>
internal sealed class GatewayLoad : IAsyncDisposable
{
    private const string LearnerName = "bench-learner";
    private const string LearnerPassword = "the load generator's learner account";

    private readonly GatewayProcess _gateway;
    private readonly HttpClient _http;
    private readonly HttpClient _bearer;
    private readonly HttpClient _operator;
    private readonly IReadOnlyList<(string Path, byte[] Body)> _requests;
    private readonly string _apiKey;
    private readonly CancellationToken _cancellationToken;

    private GatewayLoad(
        GatewayProcess gateway, HttpClient http, HttpClient bearer, HttpClient @operator, IReadOnlyList<(string Path, byte[] Body)> requests,
        string apiKey, CancellationToken cancellationToken)
    {
        _gateway = gateway;
        _http = http;
        _bearer = bearer;
        _operator = @operator;
        _requests = requests;
        _apiKey = apiKey;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Unit predicts of 16 inputs, one unit after another.</summary>
    public static Task<GatewayLoad> StartAsync(string connectionString, string clusterId, long[] units, CancellationToken cancellationToken, bool metrics = true)
    {
        var body = Encoding.UTF8.GetBytes("{\"input\":[" + string.Join(',', Enumerable.Range(0, 16).Select(i => (i / 16.0).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]}");
        return StartAsync(connectionString, clusterId, units.Select(unit => ($"/v1/units/{unit}/predict", body)).ToArray(), cancellationToken, metrics);
    }

    /// <param name="metrics">Whether the gateway measures anything (<c>Galaxy:Metrics:Enabled</c>, on by default as in <c>./galaxy up</c>).</param>
    /// <param name="maxConnections">Connections to the gateway at most.</param>
    public static async Task<GatewayLoad> StartAsync(
        string connectionString, string clusterId, IReadOnlyList<(string Path, byte[] Body)> requests, CancellationToken cancellationToken,
        bool metrics = true, int maxConnections = 512)
    {
        var key = await ApiKeyStore.CreateAsync(connectionString, "serve-benchmark", "bench", cancellationToken);
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Galaxy"] = connectionString,
            ["Galaxy:Cluster:ClusterId"] = clusterId,
            ["Galaxy:Cluster:ServiceId"] = BenchSilo.ServiceId,
            ["Galaxy:RateLimits:Inference:PermitLimit"] = "1000000000",
            ["Galaxy:Guardian:SigningKey"] = signingKey,
            ["Galaxy:Metrics:Enabled"] = metrics ? "true" : "false",
            // An account that may learn, which an API key may not (SignInAsLearnerAsync).
            ["Galaxy:Guardian:Accounts:0:Name"] = LearnerName,
            ["Galaxy:Guardian:Accounts:0:Role"] = Roles.LeadAi,
            ["Galaxy:Guardian:Accounts:0:PasswordHash"] = PasswordHasher.Hash(LearnerPassword, iterations: 1_000),
        }, cancellationToken: cancellationToken);
        var http = Client(gateway, maxConnections);
        http.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        var bearer = Client(gateway);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken(signingKey, "bench-lead", Roles.LeadAi));
        var @operator = Client(gateway);
        @operator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken(signingKey, "bench-operator", Roles.Operator));
        return new GatewayLoad(gateway, http, bearer, @operator, requests, key.Key, cancellationToken);
    }

    /// <summary>Sends every later request as the learner account, signed in with a bearer token, instead of with the API key.</summary>
    public async Task SignInAsLearnerAsync()
    {
        using var response = await _http.PostAsJsonAsync("/v1/auth/token", new { username = LearnerName, password = LearnerPassword }, _cancellationToken);
        response.EnsureSuccessStatusCode();
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>(_cancellationToken);
        _http.DefaultRequestHeaders.Remove("X-Api-Key");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
    }

    /// <summary>The gateway process's working set now.</summary>
    public long GatewayWorkingSetBytes => _gateway.Process.WorkingSetBytes;

    /// <summary>The requests it takes in turn.</summary>
    public IReadOnlyList<(string Path, byte[] Body)> Requests => _requests;

    /// <summary>Posts a JSON body and answers the response as it came, whatever its status.</summary>
    public async Task<HttpResponseMessage> PostAnyAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _http.PostAsync(path, content, cancellationToken);
    }

    /// <summary>CPU time the gateway process has used so far.</summary>
    public TimeSpan GatewayProcessorTime => _gateway.Process.ProcessorTime;

    /// <summary>The gateway's process id, for its runtime counters.</summary>
    public int ProcessId => _gateway.Process.Id;

    /// <summary>Predicts per second in a closed loop of <paramref name="concurrency"/>, signed in by API key or by bearer token.</summary>
    public async Task<LoadFigures> ClosedLoopAsync(int concurrency, TimeSpan phase, bool bearer = false) =>
        await ClosedLoop.RunAsync(concurrency, phase, (w, i) => SendNextAsync(w * 7_919L + i, bearer ? _bearer : _http), _cancellationToken);

    /// <summary><c>GET /metrics</c> as an operator's Prometheus would; answers its size in bytes.</summary>
    public async Task<int> ScrapeAsync()
    {
        var scrape = await _operator.GetByteArrayAsync("/metrics", _cancellationToken);
        return scrape.Length;
    }

    /// <summary>Posts its requests in a closed loop of 64 callers, so that the gateway's and the generator's paths are compiled and tiered up.</summary>
    public Task WarmUpAsync(TimeSpan duration) =>
        ClosedLoop.RunAsync(64, duration, (w, i) => SendNextAsync(w * 7_919L + i), _cancellationToken);

    /// <summary>
    /// The most the gateway sustains, once warmed up: closed loops of 16, 64 and 256 callers, each recorded as
    /// <c>{prefix}.c{N}</c>, the best as <c>{prefix}</c>.
    /// </summary>
    public async Task<double> MeasureMostAsync(BenchReport report, string prefix, TimeSpan phase)
    {
        var best = 0.0;
        foreach (var concurrency in new[] { 16, 64, 256 })
        {
            var figures = await ClosedLoop.RunAsync(concurrency, phase, (w, i) => SendNextAsync(w * 7_919L + i), _cancellationToken);
            report.Record($"{prefix}.c{concurrency}", figures.PerSecond, "1/s", $"HTTP requests, closed loop; p99 {figures.P99Ms:F1} ms; {figures.Failures} failed");
            best = Math.Max(best, figures.PerSecond);
        }

        report.Record(prefix, best, "1/s", "the most the gateway sustained, load generator on the same 2 cores");
        return best;
    }

    /// <summary>Predicts at a fixed rate (an open loop) after half as long at that rate to settle its path.</summary>
    public Task<LoadFigures> AtRateAsync(double perSecond, TimeSpan duration) => AtRateAsync(perSecond, duration, SendNextAsync);

    /// <summary>
    /// The same requests at the same rate from <c>galaxy-load</c>, a process of its own (<see cref="OutsideLoad"/>),
    /// after half as long at that rate.
    /// </summary>
    public Task<LoadFigures> OutsideAtRateAsync(double perSecond, TimeSpan duration) =>
        OutsideLoad.RunAsync(_gateway.Address, _apiKey, _requests.Select(r => new LoadRequest(r.Path, r.Body)), perSecond, duration, _cancellationToken);

    /// <summary>
    /// Liveness probes at a fixed rate, like <see cref="AtRateAsync(double, TimeSpan)"/>: the same connections,
    /// middleware and API key, without a body or the cluster. Their tail is the floor that the machine and the HTTP
    /// path leave under a predict's.
    /// </summary>
    public Task<LoadFigures> LivenessAtRateAsync(double perSecond, TimeSpan duration) => AtRateAsync(perSecond, duration, LivenessAsync);

    private Task<LoadFigures> AtRateAsync(double perSecond, TimeSpan duration, Func<long, Task> operation) =>
        OpenLoop.RunSettledAsync(perSecond, duration, 1024, operation, _cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _bearer.Dispose();
        _operator.Dispose();
        await _gateway.DisposeAsync();
    }

    /// <summary>Posts a JSON body and answers the response's, failing on any status but 2xx.</summary>
    public async Task<byte[]> PostAsync(string path, byte[] body)
    {
        using var response = await SendAsync(path, body);
        return await response.Content.ReadAsByteArrayAsync(_cancellationToken);
    }

    private Task SendNextAsync(long n) => SendNextAsync(n, _http);

    private async Task SendNextAsync(long n, HttpClient http)
    {
        var (path, body) = _requests[(int)(n % _requests.Count)];
        using var response = await SendAsync(path, body, http);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, byte[] body, HttpClient? http = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await (http ?? _http).PostAsync(path, content, _cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new HttpRequestException($"{path}: {(int)response.StatusCode}", null, response.StatusCode);
        }

        return response;
    }

    private static HttpClient Client(GatewayProcess gateway, int maxConnections = 512) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, UseCookies = false }) { BaseAddress = gateway.Address };

    /// <summary>An access token as the gateway's sign-in issues it (TokenIssuer), signed with its configured key.</summary>
    private static string AccessToken(string signingKey, string subject, string role)
    {
        var guardian = new GuardianOptions { SigningKey = signingKey };
        var keys = new SigningKeys(Options.Create(guardian), TimeProvider.System, NullLogger<SigningKeys>.Instance);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = guardian.Issuer,
            Audience = guardian.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(2),
            SigningCredentials = keys.Current,
            Subject = new ClaimsIdentity(
            [
                new Claim(GuardianClaims.Subject, subject),
                new Claim(GuardianClaims.Role, role),
                new Claim(GuardianClaims.Session, Guid.NewGuid().ToString()),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString()),
            ]),
        });
    }

    private async Task LivenessAsync(long n)
    {
        using var response = await _http.GetAsync("/health/live", _cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
