using Galaxy.Persistence;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// A local run's first experience: when no accounts are configured and a local state directory is, the gateway makes
/// three accounts (ceo with TOTP, lead, operator) with random passwords. Their hashes go to <c>guardian-accounts.json</c>
/// (read as configuration), the passwords and the TOTP secret to <c>bootstrap-credentials.txt</c>, both mode 600;
/// <c>./galaxy up</c> prints the latter once. Nothing secret is logged.
/// </summary>
internal static class BootstrapAccounts
{
    public const string AccountsFile = "guardian-accounts.json";
    public const string CredentialsFile = "bootstrap-credentials.txt";

    public static WebApplicationBuilder AddBootstrapAccounts(this WebApplicationBuilder builder)
    {
        var directory = builder.Configuration[$"{GuardianOptions.Section}:{nameof(GuardianOptions.LocalStateDirectory)}"];
        if (string.IsNullOrEmpty(directory) || builder.Configuration.GetSection($"{GuardianOptions.Section}:{nameof(GuardianOptions.Accounts)}").Exists())
        {
            return builder;
        }

        var accountsPath = Path.Combine(directory, AccountsFile);
        if (!File.Exists(accountsPath))
        {
            Create(accountsPath, Path.Combine(directory, CredentialsFile), builder.Configuration[$"{GuardianOptions.Section}:Issuer"] ?? "galaxy-gateway");
        }

        builder.Configuration.AddJsonFile(Path.GetFullPath(accountsPath), optional: false, reloadOnChange: false);
        return builder;
    }

    private static void Create(string accountsPath, string credentialsPath, string issuer)
    {
        var totpSecret = Totp.NewSecret();
        var accounts = new (string Name, string Role, string Password, string? Totp)[]
        {
            ("ceo", Roles.Ceo, NewPassword(), totpSecret),
            ("lead", Roles.LeadAi, NewPassword(), null),
            ("operator", Roles.Operator, NewPassword(), null),
        };

        var configured = new JsonArray(accounts.Select(account => (JsonNode)new JsonObject
        {
            ["Name"] = account.Name,
            ["Role"] = account.Role,
            ["PasswordHash"] = PasswordHasher.Hash(account.Password),
            ["TotpSecret"] = account.Totp,
        }).ToArray());
        var document = new JsonObject { ["Galaxy"] = new JsonObject { ["Guardian"] = new JsonObject { ["Accounts"] = configured } } };

        var credentials = new System.Text.StringBuilder();
        foreach (var account in accounts)
        {
            credentials.AppendLine($"  {account.Name,-9} {account.Role,-9} password {account.Password}");
        }

        credentials.AppendLine($"  ceo's TOTP secret {totpSecret}  ({Totp.ProvisioningUri(issuer, "ceo", totpSecret)})");
        PrivateFiles.Write(credentialsPath, credentials.ToString());
        PrivateFiles.Write(accountsPath, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '-').Replace('+', '_');
}
