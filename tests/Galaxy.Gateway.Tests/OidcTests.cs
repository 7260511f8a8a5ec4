using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Tokens from an external OpenID Connect issuer (OpenIddict, started by the test), found through its discovery
/// document and JWKS: accepted with the Galaxy role their role claim maps to; refused from another issuer, without a
/// mapped role, or for CEO and CTO without a second factor in <c>amr</c>. Galaxy's own tokens keep working beside them.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OidcTests(GatewayFixture fixture) : IAsyncLifetime
{
    private const string Audience = "galaxy-api";

    private OidcIssuer _issuer = null!;
    private OidcIssuer _stranger = null!;
    private WebApplicationFactory<Program> _gateway = null!;

    public async Task InitializeAsync()
    {
        _issuer = await OidcIssuer.StartAsync(Audience);
        _stranger = await OidcIssuer.StartAsync(Audience);
        _gateway = fixture.Gateway.WithWebHostBuilder(web => web
            .UseSetting("Galaxy:Guardian:Oidc:Authority", _issuer.Address.ToString())
            .UseSetting("Galaxy:Guardian:Oidc:Audience", Audience)
            .UseSetting("Galaxy:Guardian:Oidc:RequireHttpsMetadata", "false")
            .UseSetting("Galaxy:Guardian:Oidc:RoleMap:galaxy-leads", "LEAD_AI")
            .UseSetting("Galaxy:Guardian:Oidc:RoleMap:galaxy-executives", "CEO")
            .UseSetting("Galaxy:Guardian:Oidc:RoleMap:galaxy-operators", "OPERATOR"));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _issuer.DisposeAsync();
        await _stranger.DisposeAsync();
    }

    [Fact]
    public async Task A_token_from_the_configured_issuer_is_accepted_with_its_mapped_role_and_audited_as_its_subject()
    {
        var token = await _issuer.TokenAsync("alice", ["galaxy-leads", "staff"], ["pwd"]);

        var read = await SendAsync(token, HttpMethod.Get, "/v1/labscapes");
        var reset = await SendAsync(token, HttpMethod.Post, "/v1/units/21/reset");
        var keys = await SendAsync(token, HttpMethod.Get, "/v1/audit");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
        var row = Assert.Single(await AuditRows.ReadAsync(fixture, "unit.reset", "/v1/units/21/reset"));
        Assert.Equal("oidc:alice", row.Principal);
    }

    [Fact]
    public async Task A_ceo_token_needs_a_second_factor()
    {
        var withoutMfa = await SendAsync(await _issuer.TokenAsync("ceo-at-idp", ["galaxy-executives"], ["pwd"]), HttpMethod.Get, "/v1/audit");
        var withMfa = await SendAsync(await _issuer.TokenAsync("ceo-at-idp", ["galaxy-executives"], ["pwd", "otp"]), HttpMethod.Get, "/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutMfa.StatusCode);
        Assert.Equal("mfa-required", await TokenTests.CodeOfAsync(withoutMfa));
        Assert.Equal(HttpStatusCode.OK, withMfa.StatusCode);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var response = await SendAsync(await _stranger.TokenAsync("alice", ["galaxy-leads"], ["otp"]), HttpMethod.Get, "/v1/labscapes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", await TokenTests.CodeOfAsync(response));
    }

    [Fact]
    public async Task A_token_whose_roles_map_to_no_galaxy_role_is_refused()
    {
        var response = await SendAsync(await _issuer.TokenAsync("bob", ["staff"], ["otp"]), HttpMethod.Get, "/v1/labscapes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("no-galaxy-role", await TokenTests.CodeOfAsync(response));
    }

    [Fact]
    public async Task Galaxy_s_own_tokens_still_work_beside_the_issuer_s()
    {
        using var client = _gateway.CreateClient();
        var signIn = await client.PostAsJsonAsync("/v1/auth/token", new { username = TestAccounts.Operator, password = TestAccounts.PasswordOf(TestAccounts.Operator) });
        var token = (await signIn.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(token, HttpMethod.Get, "/v1/labscapes")).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string token, HttpMethod method, string path)
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
