using Galaxy.Gateway.Guardian;

namespace Galaxy.Gateway.Tests;

/// <summary>The gateway refuses to start with accounts or keys Guardian could not enforce, saying which and why.</summary>
public sealed class GuardianOptionsValidationTests
{
    private static readonly string Key32 = Convert.ToBase64String(new byte[32]);
    private static readonly string Key16 = Convert.ToBase64String(new byte[16]);

    [Fact]
    public void Accounts_in_known_roles_with_their_second_factor_and_good_keys_pass()
    {
        var options = new GuardianOptions
        {
            Accounts = [Account("ada", Roles.Ceo, totp: "JBSWY3DPEHPK3PXP"), Account("bob", Roles.Operator)],
            SigningKey = Key32,
            SigningKeys =
            [
                new SigningKeyOptions { Id = "k1", Key = Key32, RetiredAt = DateTimeOffset.UnixEpoch },
                new SigningKeyOptions { Id = "k2", Key = Key32 },
            ],
            Oidc = new OidcOptions { Authority = new Uri("https://issuer.example"), RoleMap = { ["execs"] = Roles.Ceo } },
        };

        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void An_unknown_role_a_missing_second_factor_and_a_twice_configured_account_are_each_named()
    {
        var options = new GuardianOptions
        {
            Accounts = [Account("eve", "ADMIN"), Account("ada", Roles.Cto), Account("bob", Roles.Operator), Account("bob", Roles.Operator)],
        };

        Assert.Equal(
            new[]
            {
                $"Account 'eve' has role 'ADMIN'; roles are {string.Join(", ", Roles.AccountRoles)}.",
                $"Account 'ada' is {Roles.Cto} and needs a TotpSecret.",
                "Account 'bob' is configured twice.",
            },
            Validate(options).Failures);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    public void A_signing_key_that_is_not_base64_of_32_bytes_is_refused(string key)
    {
        Assert.Equal(new[] { "SigningKey must be base64 of at least 32 bytes." }, Validate(new GuardianOptions { SigningKey = key }).Failures);
    }

    [Fact]
    public void A_key_ring_with_a_short_key_a_reused_id_or_no_key_left_to_sign_is_refused()
    {
        var retired = DateTimeOffset.UnixEpoch;
        var options = new GuardianOptions
        {
            SigningKeys =
            [
                new SigningKeyOptions { Id = "k1", Key = Key16, RetiredAt = retired },
                new SigningKeyOptions { Id = "k1", Key = Key32, RetiredAt = retired },
            ],
        };

        Assert.Equal(
            new[]
            {
                "SigningKeys: key 'k1' must be base64 of at least 32 bytes.",
                "SigningKeys: key id 'k1' is used twice.",
                "SigningKeys: every key is retired; one must sign.",
            },
            Validate(options).Failures);
    }

    [Fact]
    public void An_issuer_mapped_to_an_unknown_role_or_without_an_absolute_authority_is_refused()
    {
        var options = new GuardianOptions
        {
            Oidc = new OidcOptions { Authority = new Uri("/issuer", UriKind.Relative), RoleMap = { ["admins"] = "ROOT" } },
        };

        Assert.Equal(
            new[]
            {
                $"Oidc:RoleMap maps 'admins' to 'ROOT'; roles are {string.Join(", ", Roles.AccountRoles)}.",
                "Oidc:Authority must be the issuer's absolute URL.",
            },
            Validate(options).Failures);
    }

    [Fact]
    public void A_plain_http_issuer_is_refused_unless_https_metadata_is_waived()
    {
        var insecure = new OidcOptions { Authority = new Uri("http://issuer.example") };

        Assert.Equal(new[] { "Oidc:Authority must be https (RequireHttpsMetadata)." }, Validate(new GuardianOptions { Oidc = insecure }).Failures);
        insecure.RequireHttpsMetadata = false;
        Assert.True(Validate(new GuardianOptions { Oidc = insecure }).Succeeded);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(GuardianOptions options) =>
        new GuardianOptionsValidation().Validate(null, options);

    private static AccountOptions Account(string name, string role, string? totp = null) =>
        new() { Name = name, Role = role, PasswordHash = "hash", TotpSecret = totp };
}
