using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Hosting;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The test gateway's accounts: one per role, named after it, plus spare CEOs for the tests that spend TOTP codes (a code
/// is good once per account): one for the TOTP tests, one for the dashboard's browser. Hashes use few PBKDF2 iterations so that sign-ins stay fast.
/// </summary>
public static class TestAccounts
{
    public const string Ceo = "ceo";
    public const string Cto = "cto";
    public const string LeadAi = "lead_ai";
    public const string AiEngineer = "ai_engineer";
    public const string Operator = "operator";
    public const string TotpCeo = "ceo-totp";
    public const string DashboardCeo = "ceo-dashboard";

    public static readonly IReadOnlyDictionary<string, string> RoleAccounts = new Dictionary<string, string>
    {
        [Roles.Ceo] = Ceo, [Roles.Cto] = Cto, [Roles.LeadAi] = LeadAi, [Roles.AiEngineer] = AiEngineer, [Roles.Operator] = Operator,
    };

    private static readonly (string Name, string Role)[] Accounts =
    [
        (Ceo, Roles.Ceo), (Cto, Roles.Cto), (LeadAi, Roles.LeadAi), (AiEngineer, Roles.AiEngineer), (Operator, Roles.Operator),
        (TotpCeo, Roles.Ceo), (DashboardCeo, Roles.Ceo),
    ];

    // A fixed secret per account, so that tests can compute codes.
    public static string TotpSecretOf(string account) => Base32.Encode(System.Text.Encoding.UTF8.GetBytes($"totp secret of {account}"));

    public static string PasswordOf(string account) => $"correct horse {account}";

    public static string? CurrentTotp(string account) =>
        Accounts.FirstOrDefault(a => a.Name == account).Role is Roles.Ceo or Roles.Cto ? Totp.Code(TotpSecretOf(account), DateTimeOffset.UtcNow) : null;

    public static void Configure(IWebHostBuilder web)
    {
        for (var i = 0; i < Accounts.Length; i++)
        {
            var (name, role) = Accounts[i];
            var prefix = $"Galaxy:Guardian:Accounts:{i}:";
            web.UseSetting(prefix + "Name", name)
                .UseSetting(prefix + "Role", role)
                .UseSetting(prefix + "PasswordHash", PasswordHasher.Hash(PasswordOf(name), iterations: 1_000));
            if (role is Roles.Ceo or Roles.Cto)
            {
                web.UseSetting(prefix + "TotpSecret", TotpSecretOf(name));
            }
        }
    }
}
