using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The real gateway, in a test host, as an Orleans client of a real one-silo galaxy, with one account per role
/// (<see cref="TestAccounts"/>). <see cref="Http"/> is signed in as LEAD_AI, which may call every unit, labscape and
/// galaxy endpoint; <see cref="ClientForAsync"/> gives any other principal.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();

    // Shared by every gateway host made from this one (they derive from its settings), so tokens work on all.
    private readonly string _signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public GatewayFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    protected GatewayFixture(IReadOnlyDictionary<string, string?> clusterSettings) =>
        Galaxy = new GalaxyTestCluster { InitialSilos = 1, Settings = clusterSettings };

    public GalaxyTestCluster Galaxy { get; }

    /// <summary>The audit signing key and witness folder of this gateway: outside the database, as in production.</summary>
    public string AuditDirectory { get; } = Directory.CreateTempSubdirectory("galaxy-gateway-audit-").FullName;

    public WebApplicationFactory<Program> Gateway { get; private set; } = null!;

    /// <summary>Signed in as LEAD_AI.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Signed in as nobody.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Galaxy.InitializeAsync();
        Gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Galaxy", Galaxy.Database.ConnectionStringAs(Persistence.DatabaseRoles.Gateway))
                .UseSetting("Galaxy:Cluster:ClusterId", Galaxy.Cluster.Options.ClusterId)
                .UseSetting("Galaxy:Cluster:ServiceId", Galaxy.Cluster.Options.ServiceId)
                .UseSetting("Galaxy:RateLimits:Inference:PermitLimit", "1000000")
                .UseSetting("Galaxy:RateLimits:Models:PermitLimit", "1000000")
                .UseSetting("Galaxy:RateLimits:Training:PermitLimit", "1000000")
                .UseSetting("Galaxy:RateLimits:Optimization:PermitLimit", "1000000")
                .UseSetting("Galaxy:RateLimits:Approvals:PermitLimit", "1000000")
                .UseSetting("Galaxy:RateLimits:SignIn:PermitLimit", "1000000")
                .UseSetting("Galaxy:Guardian:SigningKey", _signingKey)
                .UseSetting("Galaxy:Audit:SigningKeyFile", Path.Combine(AuditDirectory, "audit-signing-key.pem"))
                .UseSetting("Galaxy:Audit:CreateSigningKey", "true")
                .UseSetting("Galaxy:Audit:WitnessDirectory", Path.Combine(AuditDirectory, "witness"));
            TestAccounts.Configure(web);
        });
        Gateway = Prepare(Gateway);
        Anonymous = Gateway.CreateClient();
        Http = await ClientForAsync(TestAccounts.LeadAi);
    }

    /// <summary>A client signed in as <paramref name="account"/> (a <see cref="TestAccounts"/> name), one sign-in per account.</summary>
    public async Task<HttpClient> ClientForAsync(string account)
    {
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetOrAdd(account, TokenForAsync));
        return client;
    }

    /// <summary>A client that presents <paramref name="apiKey"/>.</summary>
    public HttpClient ClientWithApiKey(string apiKey)
    {
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, apiKey);
        return client;
    }

    /// <summary>Creates an API key as LEAD_AI; returns its id and secret.</summary>
    public async Task<ApiKeyCreated> CreateApiKeyAsync(string name)
    {
        var response = await Http.PostAsJsonAsync("/v1/auth/api-keys", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ApiKeyCreated>())!;
    }

    public async Task<HttpResponseMessage> SignInAsync(string account, string? password = null, string? totp = null) =>
        await Anonymous.PostAsJsonAsync("/v1/auth/token", new
        {
            username = account,
            password = password ?? TestAccounts.PasswordOf(account),
            totp = totp ?? TestAccounts.CurrentTotp(account),
        });

    /// <summary>The gateway host as a derived fixture wants it, before it starts (on a real listening socket, say).</summary>
    protected virtual WebApplicationFactory<Program> Prepare(WebApplicationFactory<Program> gateway) => gateway;

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await Gateway.DisposeAsync();
        await Galaxy.DisposeAsync();
        Directory.Delete(AuditDirectory, recursive: true);
    }

    private async Task<string> TokenForAsync(string account)
    {
        var response = await SignInAsync(account, null, null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }
}

/// <summary>A gateway before labscapes that hold batches for a second and queue at most four requests.</summary>
public sealed class SlowGatewayFixture() : GatewayFixture(new Dictionary<string, string?>
{
    ["Galaxy:Batching:MaxQueueLength"] = "4",
    ["Galaxy:Batching:MaxQueueDelayMicroseconds"] = "1000000",
});

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
