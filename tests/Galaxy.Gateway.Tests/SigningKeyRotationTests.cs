using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Rotating the key of Galaxy's own tokens, gateway by gateway as a rollout would: tokens name their key (<c>kid</c>); a
/// key published ahead of its <c>SignFrom</c> checks tokens but does not sign yet; a retired key keeps checking the
/// tokens it signed for one access-token lifetime, and then no more.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SigningKeyRotationTests(GatewayFixture fixture)
{
    private static readonly string OldKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_token_signed_before_the_rotation_stays_valid_until_its_key_s_overlap_ends()
    {
        var now = DateTimeOffset.UtcNow;
        await using var before = Gateway(("old", OldKey, null, null));
        await using var announced = Gateway(("old", OldKey, null, null), ("new", NewKey, now.AddHours(1), null));
        await using var rotated = Gateway(("old", OldKey, null, now), ("new", NewKey, now.AddMinutes(-1), null));
        await using var longAfter = Gateway(("old", OldKey, null, now.AddHours(-2)), ("new", NewKey, now.AddHours(-2), null));

        var oldToken = await SignInAsync(before);
        var announcedToken = await SignInAsync(announced);
        var newToken = await SignInAsync(rotated);

        Assert.Equal("old", new JsonWebToken(oldToken).Kid);
        Assert.Equal("old", new JsonWebToken(announcedToken).Kid);
        Assert.Equal("new", new JsonWebToken(newToken).Kid);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(announced, newToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(rotated, oldToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(longAfter, newToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(longAfter, oldToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(before, newToken));
    }

    private WebApplicationFactory<Program> Gateway(params (string Id, string Key, DateTimeOffset? SignFrom, DateTimeOffset? RetiredAt)[] keys) =>
        fixture.Gateway.WithWebHostBuilder(web =>
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var prefix = $"Galaxy:Guardian:SigningKeys:{i}:";
                web.UseSetting(prefix + "Id", keys[i].Id).UseSetting(prefix + "Key", keys[i].Key);
                if (keys[i].SignFrom is { } signFrom)
                {
                    web.UseSetting(prefix + "SignFrom", signFrom.ToString("O", CultureInfo.InvariantCulture));
                }

                if (keys[i].RetiredAt is { } retiredAt)
                {
                    web.UseSetting(prefix + "RetiredAt", retiredAt.ToString("O", CultureInfo.InvariantCulture));
                }
            }
        });

    private static async Task<string> SignInAsync(WebApplicationFactory<Program> gateway)
    {
        using var client = gateway.CreateClient();
        var response = await client.PostAsJsonAsync("/v1/auth/token", new { username = TestAccounts.Operator, password = TestAccounts.PasswordOf(TestAccounts.Operator) });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    private static async Task<HttpStatusCode> StatusAsync(WebApplicationFactory<Program> gateway, string token)
    {
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/v1/labscapes")).StatusCode;
    }
}
