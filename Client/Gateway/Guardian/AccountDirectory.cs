using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Guardian;

/// <summary>Checks a sign-in against the configured accounts: password, then TOTP for the roles that need it.</summary>
internal sealed class AccountDirectory(IOptionsMonitor<GuardianOptions> options, TimeProvider time, ILogger<AccountDirectory> logger)
{
    // Unknown names still pay for one hash, so response time does not tell which names exist.
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHasher.Hash("decoy"));

    // The last TOTP step each account signed in with: a code is good once. Per gateway process.
    private readonly ConcurrentDictionary<string, long> _lastTotpStep = new(StringComparer.Ordinal);

    public AccountOptions? Find(string name) =>
        options.CurrentValue.Accounts.FirstOrDefault(account => string.Equals(account.Name, name, StringComparison.Ordinal));

    public SignInOutcome SignIn(string name, string password, string? totpCode)
    {
        var account = Find(name);
        if (!PasswordHasher.Verify(password, account?.PasswordHash ?? DecoyHash.Value) || account is null)
        {
            GuardianLog.SignInRefused(logger, name, "unknown account or wrong password");
            return SignInOutcome.Refused(Problems.InvalidCredentials());
        }

        if (!Roles.RequiresSecondFactor(account.Role))
        {
            return SignInOutcome.Accepted(account);
        }

        if (string.IsNullOrEmpty(totpCode))
        {
            GuardianLog.SignInRefused(logger, name, "no TOTP code");
            return SignInOutcome.Refused(Problems.TotpRequired(account.Role));
        }

        var step = Totp.MatchingStep(account.TotpSecret!, totpCode, time.GetUtcNow());
        if (step is { } matched && TryConsume(account.Name, matched))
        {
            return SignInOutcome.Accepted(account);
        }

        GuardianLog.SignInRefused(logger, name, "wrong or reused TOTP code");
        return SignInOutcome.Refused(Problems.InvalidCredentials());
    }

    /// <summary>Accepts a TOTP step only if it is later than the account's last one.</summary>
    private bool TryConsume(string account, long step)
    {
        while (true)
        {
            if (!_lastTotpStep.TryGetValue(account, out var last))
            {
                if (_lastTotpStep.TryAdd(account, step))
                {
                    return true;
                }
            }
            else if (step <= last)
            {
                return false;
            }
            else if (_lastTotpStep.TryUpdate(account, step, last))
            {
                return true;
            }
        }
    }
}

internal sealed record SignInOutcome(AccountOptions? Account, ProblemHttpResult? Problem)
{
    public static SignInOutcome Accepted(AccountOptions account) => new(account, null);

    public static SignInOutcome Refused(ProblemHttpResult problem) => new(null, problem);
}
