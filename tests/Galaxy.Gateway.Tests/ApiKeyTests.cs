using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>API keys: shown once, good for predicts only, dead the moment they are revoked.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ApiKeyTests(GatewayFixture fixture)
{
    private static readonly float[] Input = new float[16];

    [Fact]
    public async Task A_new_key_predicts_and_is_listed_without_its_secret()
    {
        var created = await fixture.CreateApiKeyAsync("inference client");
        using var client = fixture.ClientWithApiKey(created.Key);

        var predict = await client.PostAsJsonAsync("/v1/units/2/predict", new { input = Input });
        var list = await fixture.Http.GetStringAsync("/v1/auth/api-keys");

        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.StartsWith("gxk_", created.Key, StringComparison.Ordinal);
        Assert.Contains(created.Id.ToString(), list, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var created = await fixture.CreateApiKeyAsync("short-lived");
        using var client = fixture.ClientWithApiKey(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/units/2/predict", new { input = Input })).StatusCode);

        var revoke = await fixture.Http.DeleteAsync($"/v1/auth/api-keys/{created.Id}");
        var after = await client.PostAsJsonAsync("/v1/units/2/predict", new { input = Input });
        var again = await fixture.Http.DeleteAsync($"/v1/auth/api-keys/{created.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var listed = (await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/auth/api-keys")).EnumerateArray()
            .Single(key => key.GetProperty("id").GetGuid() == created.Id);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
    }

    [Theory]
    [InlineData("gxk_made-up")]
    [InlineData("not even the right shape")]
    [InlineData("")]
    public async Task An_unknown_key_is_a_401_problem(string key)
    {
        using var client = fixture.ClientWithApiKey(key);

        var response = await client.PostAsJsonAsync("/v1/units/2/predict", new { input = Input });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", await TokenTests.CodeOfAsync(response));
    }
}
