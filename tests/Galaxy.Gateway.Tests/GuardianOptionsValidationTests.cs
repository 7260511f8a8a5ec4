using Galaxy.Gateway.Guardian;

namespace Galaxy.Gateway.Tests;

/// <summary>The gateway refuses to start with a Guardian configuration it could not enforce, and says what is wrong.</summary>
public sealed class GuardianOptionsValidationTests
{
    private static readonly string Key32 = Convert.ToBase64String(new byte[32]);

    [Fact]
    public void A_sound_configuration_passes()
    {
        var options = new GuardianOptions
        {
            SigningKey = Key32,
            SigningKeys = [new SigningKeyOptions { Id = "k1", Key = Key32 }],
            Accounts = [Account("ceo", Roles.Ceo, totp: "JBSWY3DPEHPK3PXP"), Account("ops", Roles.Operator)],
            Oidc = new OidcOptions { Authority = new Uri("https://issuer.example"), RoleMap = { ["galaxy-admins"] = Roles.Cto } },
        };

        Assert.True(Validate(options).Succeeded);
    }

    public static TheoryData<string, string> Faults => new()
    {
        { "unknown role", "has role 'ROOT'" },
        { "CEO without TOTP", "is CEO and needs a TotpSecret" },
        { "account twice", "Account 'ops' is configured twice" },
        { "short signing key", "SigningKey must be base64 of at least 32 bytes" },
        { "signing key not base64", "SigningKey must be base64 of at least 32 bytes" },
        { "short key in the ring", "key 'k1' must be base64 of at least 32 bytes" },
        { "key id twice", "key id 'k1' is used twice" },
        { "every key retired", "every key is retired" },
        { "OIDC role unknown", "maps 'admins' to 'ROOT'" },
        { "OIDC authority relative", "Oidc:Authority must be the issuer's absolute URL" },
        { "OIDC authority over http", "Oidc:Authority must be https" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_fault_fails_validation_with_a_message_that_names_it(string fault, string message)
    {
        var result = Validate(WithFault(fault));

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        var options = WithFault("unknown role");
        options.SigningKey = "short";

        var result = Validate(options);

        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public void Plain_http_is_accepted_when_https_metadata_is_not_required()
    {
        var options = new GuardianOptions
        {
            Oidc = new OidcOptions { Authority = new Uri("http://127.0.0.1:5001"), RequireHttpsMetadata = false },
        };

        Assert.True(Validate(options).Succeeded);
    }

    private static GuardianOptions WithFault(string fault)
    {
        var options = new GuardianOptions();
        switch (fault)
        {
            case "unknown role": options.Accounts = [Account("root", "ROOT")]; break;
            case "CEO without TOTP": options.Accounts = [Account("ceo", Roles.Ceo)]; break;
            case "account twice": options.Accounts = [Account("ops", Roles.Operator), Account("ops", Roles.AiEngineer)]; break;
            case "short signing key": options.SigningKey = Convert.ToBase64String(new byte[16]); break;
            case "signing key not base64": options.SigningKey = "not base64 at all!"; break;
            case "short key in the ring": options.SigningKeys = [new SigningKeyOptions { Id = "k1", Key = Convert.ToBase64String(new byte[8]) }]; break;
            case "key id twice": options.SigningKeys = [new SigningKeyOptions { Id = "k1", Key = Key32 }, new SigningKeyOptions { Id = "k1", Key = Key32 }]; break;
            case "every key retired": options.SigningKeys = [new SigningKeyOptions { Id = "k1", Key = Key32, RetiredAt = DateTimeOffset.UnixEpoch }]; break;
            case "OIDC role unknown": options.Oidc = new OidcOptions { Authority = new Uri("https://issuer.example"), RoleMap = { ["admins"] = "ROOT" } }; break;
            case "OIDC authority relative": options.Oidc = new OidcOptions { Authority = new Uri("/issuer", UriKind.Relative) }; break;
            case "OIDC authority over http": options.Oidc = new OidcOptions { Authority = new Uri("http://issuer.example") }; break;
            default: throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault in this test");
        }

        return options;
    }

    private static AccountOptions Account(string name, string role, string? totp = null) =>
        new() { Name = name, Role = role, PasswordHash = "hash", TotpSecret = totp };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(GuardianOptions options) =>
        new GuardianOptionsValidation().Validate(null, options);
}
