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

        if (!string.IsNullOrEmpty(options.SigningKey) && (!IsBase64(options.SigningKey, out var bytes) || bytes < 32))
        {
            failures.Add("SigningKey must be base64 of at least 32 bytes.");
        }

        foreach (var key in options.SigningKeys)
        {
            if (!IsBase64(key.Key, out var keyBytes) || keyBytes < 32)
            {
                failures.Add($"SigningKeys: key '{key.Id}' must be base64 of at least 32 bytes.");
            }
        }

        if (options.SigningKeys.GroupBy(key => key.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } twice)
        {
            failures.Add($"SigningKeys: key id '{twice.Key}' is used twice.");
        }

        if (options.SigningKeys.Count > 0 && options.SigningKeys.All(key => key.RetiredAt is not null))
        {
            failures.Add("SigningKeys: every key is retired; one must sign.");
        }

        if (options.Oidc is { } oidc)
        {
            failures.AddRange(oidc.RoleMap.Where(pair => !Roles.AccountRoles.Contains(pair.Value))
                .Select(pair => $"Oidc:RoleMap maps '{pair.Key}' to '{pair.Value}'; roles are {string.Join(", ", Roles.AccountRoles)}."));
            if (oidc.Authority is null || !oidc.Authority.IsAbsoluteUri)
            {
                failures.Add("Oidc:Authority must be the issuer's absolute URL.");
            }
            else if (oidc.RequireHttpsMetadata && oidc.Authority.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add("Oidc:Authority must be https (RequireHttpsMetadata).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBase64(string text, out int bytes)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out bytes);
    }
}
