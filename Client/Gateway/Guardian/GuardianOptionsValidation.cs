using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Guardian;

/// <summary>Refuses to start with an account Guardian could not enforce: an unknown role, or a CEO/CTO without TOTP.</summary>
internal sealed class GuardianOptionsValidation : IValidateOptions<GuardianOptions>
{
    public ValidateOptionsResult Validate(string? name, GuardianOptions options)
    {
        var failures = new List<string>();
        foreach (var account in options.Accounts)
        {
            if (!Roles.AccountRoles.Contains(account.Role))
            {
                failures.Add($"Account '{account.Name}' has role '{account.Role}'; roles are {string.Join(", ", Roles.AccountRoles)}.");
            }
            else if (Roles.RequiresSecondFactor(account.Role) && string.IsNullOrWhiteSpace(account.TotpSecret))
            {
                failures.Add($"Account '{account.Name}' is {account.Role} and needs a TotpSecret.");
            }
        }

        if (options.Accounts.GroupBy(account => account.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } duplicate)
        {
            failures.Add($"Account '{duplicate.Key}' is configured twice.");
        }

        if (options.SigningKey is { } key && (!IsBase64(key, out var bytes) || bytes < 32))
        {
            failures.Add("SigningKey must be base64 of at least 32 bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBase64(string text, out int bytes)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out bytes);
    }
}
