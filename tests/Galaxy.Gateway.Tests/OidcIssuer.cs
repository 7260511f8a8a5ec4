using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// An OpenID Connect issuer of the tests' own, on a loopback port: OpenIddict's server with its discovery document and
/// JWKS, an ephemeral signing key, and a token endpoint that signs whatever subject, roles and <c>amr</c> the test asks
/// for, as an identity provider would after its own sign-in.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private OidcIssuer(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        _http = new HttpClient { BaseAddress = Address };
    }

    public Uri Address { get; }

    public static async Task<OidcIssuer> StartAsync(string audience)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetTokenEndpointUris("connect/token");
            server.AllowPasswordFlow();
            server.AcceptAnonymousClients();
            // No stores: the issuer keeps no applications or tokens; the test's request is the whole truth.
            server.EnableDegradedMode();
            server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateTokenRequestContext>(handler =>
                handler.UseInlineHandler(_ => default));
            server.AddEphemeralSigningKey().AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
            server.UseAspNetCore().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
        });

        var app = builder.Build();
        app.MapPost("/connect/token", (HttpContext http) => SignIn(http, audience));
        await app.StartAsync();
        return new OidcIssuer(app);
    }

    /// <summary>An access token for <paramref name="subject"/> with these roles and authentication methods.</summary>
    public async Task<string> TokenAsync(string subject, string[] roles, string[] amr)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "password"), new("username", subject), new("password", "whatever the issuer checks"),
        };
        form.AddRange(roles.Select(role => new KeyValuePair<string, string>("role", role)));
        form.AddRange(amr.Select(method => new KeyValuePair<string, string>("amr", method)));
        using var response = await _http.PostAsync("connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.EnsureSuccessStatusCode();
        return body.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult SignIn(HttpContext http, string audience)
    {
        var request = http.GetOpenIddictServerRequest()!;
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Subject, "roles");
        identity.AddClaim(new Claim(Claims.Subject, request.Username!));
        foreach (var role in Values(http, "role"))
        {
            identity.AddClaim(new Claim("roles", role));
        }

        foreach (var method in Values(http, "amr"))
        {
            identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, method));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetResources(audience);
        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IEnumerable<string> Values(HttpContext http, string name) => http.Request.Form[name].OfType<string>();
}
