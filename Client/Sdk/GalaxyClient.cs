using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Contracts;
using Polly;

namespace Galaxy.Client;

/// <summary>
/// Galaxy's gateway, typed. Give it an <see cref="HttpClient"/> whose <c>BaseAddress</c> is the gateway, and either an
/// API key (<see cref="GalaxyClientOptions.ApiKey"/>) or a sign-in (<see cref="SignInAsync"/>; the access token is then
/// refreshed before it expires). Failures surface as <see cref="GalaxyApiException"/> subclasses; 429 and 503 are
/// retried first, as <c>Retry-After</c> asks.
/// </summary>
public sealed partial class GalaxyClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly GalaxyClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly ResiliencePipeline<HttpResponseMessage> _retryRefusals;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private TokenResponse? _tokens;
    private DateTimeOffset _accessTokenExpires;

    public GalaxyClient(HttpClient http, GalaxyClientOptions? options = null)
    {
        _http = http;
        _options = options ?? new GalaxyClientOptions();
        _retry = RetryPolicy.Create(_options);
        _retryRefusals = RetryPolicy.Create(_options, onlyRefusals: true);
    }

    public async Task<TokenResponse> SignInAsync(string username, string password, string? totp = null, CancellationToken cancellationToken = default) =>
        Keep(await SendAsync<TokenResponse>(HttpMethod.Post, "/v1/auth/token", new SignInRequest(username, password, totp), cancellationToken, signed: false));

    public async Task<TokenResponse> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var refreshToken = _tokens?.RefreshToken ?? throw new InvalidOperationException("Sign in before refreshing.");
        return Keep(await SendAsync<TokenResponse>(HttpMethod.Post, "/v1/auth/refresh", new RefreshRequest(refreshToken), cancellationToken, signed: false));
    }

    public Task<UnitResponse> GetUnitAsync(long unitId, CancellationToken cancellationToken = default) =>
        SendAsync<UnitResponse>(HttpMethod.Get, $"/v1/units/{unitId}", null, cancellationToken);

    public async Task<float[]> PredictAsync(long unitId, float[] input, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await SendAsync<PredictResponse>(HttpMethod.Post, $"/v1/units/{unitId}/predict", new PredictRequest(input, Milliseconds(timeout)), cancellationToken)).Output;

    /// <summary>
    /// One durable learn step. With <paramref name="expectedRevision"/> (the unit's revision, as the last receipt or
    /// <see cref="GetUnitAsync"/> gave it) the step is applied only from that revision, so it is safe to retry after a
    /// lost answer: a <see cref="GalaxyRevisionMismatchException"/> then says the earlier attempt landed. Without it, only
    /// refusals (429) are retried, since a 503 may follow a step that was applied.
    /// </summary>
    public Task<LearnResponse> LearnAsync(
        long unitId, float[] input, float[] target, TimeSpan? timeout = null, long? expectedRevision = null, CancellationToken cancellationToken = default) =>
        SendAsync<LearnResponse>(
            HttpMethod.Post, $"/v1/units/{unitId}/learn", new LearnRequest(input, target, Milliseconds(timeout)), cancellationToken,
            ifMatchRevision: expectedRevision, safeToRepeat: expectedRevision is not null);

    public Task<UnitResponse> ResetAsync(long unitId, CancellationToken cancellationToken = default) =>
        SendAsync<UnitResponse>(HttpMethod.Post, $"/v1/units/{unitId}/reset", null, cancellationToken);

    public Task<LabscapeList> ListLabscapesAsync(CancellationToken cancellationToken = default) =>
        SendAsync<LabscapeList>(HttpMethod.Get, "/v1/labscapes", null, cancellationToken);

    public Task<LabscapeResponse> GetLabscapeAsync(int labscapeId, CancellationToken cancellationToken = default) =>
        SendAsync<LabscapeResponse>(HttpMethod.Get, $"/v1/labscapes/{labscapeId}", null, cancellationToken);

    /// <summary>Predicts with many units of one labscape in one call: <paramref name="inputs"/>[i] goes to <paramref name="units"/>[i].</summary>
    public Task<BulkPredictResponse> PredictManyAsync(
        int labscapeId, long[] units, float[][] inputs, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync<BulkPredictResponse>(HttpMethod.Post, $"/v1/labscapes/{labscapeId}/predict", new BulkPredictRequest(units, inputs, Milliseconds(timeout)), cancellationToken);

    public Task<TickResponse> TickAsync(float[] input, CancellationToken cancellationToken = default) =>
        SendAsync<TickResponse>(HttpMethod.Post, "/v1/galaxy/tick", new TickRequest(input), cancellationToken);

    public Task<ApiKeyCreated> CreateApiKeyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ApiKeyCreated>(HttpMethod.Post, "/v1/auth/api-keys", new CreateApiKeyRequest(name), cancellationToken);

    public Task<ApiKeyResponse[]> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ApiKeyResponse[]>(HttpMethod.Get, "/v1/auth/api-keys", null, cancellationToken);

    public Task RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/auth/api-keys/{id}", null, cancellationToken);

    public Task<AuditReportResponse> VerifyAuditAsync(CancellationToken cancellationToken = default) =>
        SendAsync<AuditReportResponse>(HttpMethod.Get, "/v1/audit/verify", null, cancellationToken);

    private Task<T> SendAsync<T>(
        HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        bool signed = true, long? ifMatchRevision = null, bool safeToRepeat = true) =>
        SendContentAsync<T>(
            method, path, body is null ? null : () => JsonContent.Create(body, options: Json), cancellationToken, signed, ifMatchRevision,
            safeToRepeat ? _retry : _retryRefusals);

    /// <summary>
    /// Sends a request whose body <paramref name="content"/> makes afresh for each attempt, retried as <paramref name="retry"/>
    /// says, and reads the answer as <typeparamref name="T"/> or throws the problem it holds.
    /// </summary>
    private async Task<T> SendContentAsync<T>(
        HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken,
        bool signed, long? ifMatchRevision, ResiliencePipeline<HttpResponseMessage> retry)
    {
        if (signed)
        {
            await RefreshIfDueAsync(cancellationToken);
        }

        using var response = await retry.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            if (signed)
            {
                Sign(request);
            }

            if (ifMatchRevision is { } revision)
            {
                request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{revision.ToString(System.Globalization.CultureInfo.InvariantCulture)}\""));
            }

            return await _http.SendAsync(request, token);
        }, cancellationToken);

        if (!response.IsSuccessStatusCode)
        {
            throw await Problem.ReadAsync(response, cancellationToken);
        }

        return response.StatusCode == System.Net.HttpStatusCode.NoContent
            ? default!
            : (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private void Sign(HttpRequestMessage request)
    {
        if (_options.ApiKey is { } apiKey)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        else if (_tokens is { } tokens)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        }
    }

    private async Task RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (_tokens is null || DateTimeOffset.UtcNow < _accessTokenExpires - RefreshMargin)
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (DateTimeOffset.UtcNow >= _accessTokenExpires - RefreshMargin)
            {
                await RefreshAsync(cancellationToken);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private TokenResponse Keep(TokenResponse tokens)
    {
        _tokens = tokens;
        _accessTokenExpires = DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresIn);
        return tokens;
    }

    private static int? Milliseconds(TimeSpan? timeout) => timeout is { } value ? (int)Math.Ceiling(value.TotalMilliseconds) : null;
}
