using System.Net;
using Galaxy.Gateway.Guardian;

namespace Galaxy.Gateway.Tests;

/// <summary>CEO and CTO sign in with a password and an RFC 6238 code, each code good once.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TotpTests(GatewayFixture fixture)
{
    // RFC 6238 appendix B, SHA-1: the secret "12345678901234567890" and its 8-digit codes.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    public void Codes_match_the_RFC_6238_test_vectors(long unixSeconds, string expected)
    {
        var secret = Base32.Encode("12345678901234567890"u8);

        Assert.Equal(expected, Totp.Code(secret, DateTimeOffset.FromUnixTimeSeconds(unixSeconds), digits: 8));
    }

    [Fact]
    public async Task A_CEO_without_a_code_is_asked_for_one()
    {
        var response = await fixture.SignInAsync(TestAccounts.TotpCeo, totp: "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("totp-required", await TokenTests.CodeOfAsync(response));
    }

    [Fact]
    public async Task A_wrong_code_is_refused()
    {
        var wrong = ((int.Parse(TestAccounts.CurrentTotp(TestAccounts.TotpCeo)!, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        var response = await fixture.SignInAsync(TestAccounts.TotpCeo, totp: wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid-credentials", await TokenTests.CodeOfAsync(response));
    }

    [Fact]
    public async Task A_good_code_signs_in_once_and_cannot_be_replayed()
    {
        var code = TestAccounts.CurrentTotp(TestAccounts.TotpCeo)!;

        var first = await fixture.SignInAsync(TestAccounts.TotpCeo, totp: code);
        var replay = await fixture.SignInAsync(TestAccounts.TotpCeo, totp: code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }
}
