using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Gateway.Tests;

/// <summary>The SDK against the real gateway: sign-in, calls, keys, and problems as typed exceptions.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SdkTests(GatewayFixture fixture)
{
    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => i / 10f).ToArray();

    [Fact]
    public async Task A_signed_in_lead_predicts_learns_and_lists()
    {
        var galaxy = new GalaxyClient(fixture.Gateway.CreateClient());

        var tokens = await galaxy.SignInAsync(TestAccounts.LeadAi, TestAccounts.PasswordOf(TestAccounts.LeadAi));
        var output = await galaxy.PredictAsync(16, Input);
        var receipt = await galaxy.LearnAsync(16, Input, [0, 0, 1, 0]);
        var labscapes = await galaxy.ListLabscapesAsync();
        var labscape = await galaxy.GetLabscapeAsync(2);

        Assert.Equal("LEAD_AI", tokens.Role);
        Assert.Equal(4, output.Length);
        Assert.Equal(16, receipt.UnitId);
        Assert.Equal(GalaxyTestCluster.Labscapes, labscapes.Labscapes.Length);
        Assert.Equal(2 * GalaxyTestCluster.UnitsPerLabscape, labscape.State.FirstUnitId);
    }

    [Fact]
    public async Task An_API_key_made_through_the_SDK_predicts_but_may_not_read()
    {
        var lead = new GalaxyClient(fixture.Gateway.CreateClient());
        await lead.SignInAsync(TestAccounts.LeadAi, TestAccounts.PasswordOf(TestAccounts.LeadAi));
        var key = await lead.CreateApiKeyAsync("sdk client");
        var client = new GalaxyClient(fixture.Gateway.CreateClient(), new GalaxyClientOptions { ApiKey = key.Key });

        var output = await client.PredictAsync(17, Input);
        var refused = await Assert.ThrowsAsync<GalaxyForbiddenException>(() => client.GetUnitAsync(17));
        await lead.RevokeApiKeyAsync(key.Id);
        var revoked = await Assert.ThrowsAsync<GalaxyAuthenticationException>(() => client.PredictAsync(17, Input));

        Assert.Equal(4, output.Length);
        Assert.Equal("forbidden", refused.Code);
        Assert.Equal("unauthenticated", revoked.Code);
    }

    [Fact]
    public async Task Gateway_problems_arrive_as_typed_exceptions_with_their_codes()
    {
        var galaxy = new GalaxyClient(fixture.Gateway.CreateClient());
        await galaxy.SignInAsync(TestAccounts.LeadAi, TestAccounts.PasswordOf(TestAccounts.LeadAi));

        var invalid = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => galaxy.PredictAsync(1, [1, 2, 3]));
        var missing = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => galaxy.GetUnitAsync(1_000_000));
        var badSignIn = await Assert.ThrowsAsync<GalaxyAuthenticationException>(() => galaxy.SignInAsync(TestAccounts.LeadAi, "wrong"));

        Assert.Equal("invalid-input", invalid.Code);
        Assert.Equal("unit-not-found", missing.Code);
        Assert.Equal("invalid-credentials", badSignIn.Code);
    }
}
