using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Galaxy.Gateway.Guardian;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Galaxy.Gateway.Tests;

/// <summary>Access tokens are taken only as issued: unexpired, unaltered, from this issuer, for this audience.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TokenTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_signed_in_operator_can_read()
    {
        var token = await SignInAsync(TestAccounts.Operator);

        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(token.AccessToken));
        Assert.Equal(3_600, token.ExpiresIn);
        Assert.Equal(7_200, token.RefreshExpiresIn);
        Assert.Equal(Roles.Operator, token.Role);
    }

    [Fact]
    public async Task An_expired_token_is_refused() =>
        await AssertRefusedAsync(Forge(expires: DateTime.UtcNow.AddMinutes(-5)));

    [Fact]
    public async Task A_token_from_another_issuer_is_refused() => await AssertRefusedAsync(Forge(issuer: "someone-else"));

    [Fact]
    public async Task A_token_for_another_audience_is_refused() => await AssertRefusedAsync(Forge(audience: "another-api"));

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused() =>
        await AssertRefusedAsync(Forge(key: new SymmetricSecurityKey(new byte[32])));

    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var token = (await SignInAsync(TestAccounts.Operator)).AccessToken;
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["role"] = Roles.Ceo;
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";

        await AssertRefusedAsync(tampered);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(Descriptor("galaxy-gateway", "galaxy-api", DateTime.UtcNow.AddHours(1), null));

        await AssertRefusedAsync(unsigned);
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_gives_a_working_access_token()
    {
        var first = await SignInAsync(TestAccounts.Operator);

        var refreshed = await RefreshAsync(first.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(second.AccessToken));
    }

    [Fact]
    public async Task Reusing_a_refresh_token_revokes_its_whole_family()
    {
        var first = await SignInAsync(TestAccounts.Operator);
        var second = (await (await RefreshAsync(first.RefreshToken)).Content.ReadFromJsonAsync<TokenResponse>())!;

        var reuse = await RefreshAsync(first.RefreshToken);
        var successor = await RefreshAsync(second.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Equal("refresh-token-reused", await CodeOfAsync(reuse));
        Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);
        Assert.Equal("refresh-token-reused", await CodeOfAsync(successor));
    }

    [Fact]
    public async Task An_unknown_refresh_token_is_refused()
    {
        var response = await RefreshAsync("gxr_not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid-refresh-token", await CodeOfAsync(response));
    }

    [Theory]
    [InlineData(TestAccounts.Operator, "wrong password")]
    [InlineData("nobody", "correct horse nobody")]
    public async Task A_wrong_password_or_unknown_account_is_one_and_the_same_refusal(string account, string password)
    {
        var response = await fixture.SignInAsync(account, password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid-credentials", await CodeOfAsync(response));
    }

    private async Task<TokenResponse> SignInAsync(string account)
    {
        var response = await fixture.SignInAsync(account);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        fixture.Anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken });

    private string Forge(string issuer = "galaxy-gateway", string audience = "galaxy-api", DateTime? expires = null, SecurityKey? key = null)
    {
        var signing = key ?? fixture.Gateway.Services.GetRequiredService<SigningKeys>().Current.Key;
        return new JsonWebTokenHandler().CreateToken(Descriptor(issuer, audience, expires ?? DateTime.UtcNow.AddHours(1),
            new SigningCredentials(signing, SecurityAlgorithms.HmacSha256)));
    }

    private static SecurityTokenDescriptor Descriptor(string issuer, string audience, DateTime expires, SigningCredentials? credentials) => new()
    {
        Issuer = issuer,
        Audience = audience,
        IssuedAt = expires.AddHours(-1),
        NotBefore = expires.AddHours(-1),
        Expires = expires,
        SigningCredentials = credentials,
        Subject = new ClaimsIdentity([new Claim("sub", TestAccounts.Ceo), new Claim("role", Roles.Ceo)]),
    };

    private async Task<HttpStatusCode> StatusWithTokenAsync(string token)
    {
        using var client = fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/v1/labscapes")).StatusCode;
    }

    private async Task AssertRefusedAsync(string token)
    {
        using var client = fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/v1/labscapes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", await CodeOfAsync(response));
    }

    internal static async Task<string?> CodeOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
}
