using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Galaxy.Gateway.Tests;

/// <summary>A local run's first start makes its accounts, keeps the secrets owner-only, and makes them once.</summary>
public sealed class BootstrapAccountsTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("galaxy-state-").FullName;

    [Fact]
    public void The_first_start_creates_three_accounts_whose_passwords_are_kept_owner_only()
    {
        var builder = Builder().AddBootstrapAccounts();

        var accounts = builder.Configuration.GetSection("Galaxy:Guardian:Accounts").Get<List<AccountOptions>>()!;
        var credentials = File.ReadAllText(Path.Combine(_state, BootstrapAccounts.CredentialsFile));
        var leadPassword = credentials.Split('\n').Single(line => line.TrimStart().StartsWith("lead ", StringComparison.Ordinal)).Split(' ')[^1];

        Assert.Equal([Roles.Ceo, Roles.LeadAi, Roles.Operator], accounts.Select(account => account.Role));
        Assert.NotNull(accounts[0].TotpSecret);
        Assert.True(PasswordHasher.Verify(leadPassword.Trim(), accounts[1].PasswordHash));
        Assert.DoesNotContain(leadPassword.Trim(), File.ReadAllText(Path.Combine(_state, BootstrapAccounts.AccountsFile)), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state, BootstrapAccounts.CredentialsFile)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state, BootstrapAccounts.AccountsFile)));
        }
    }

    [Fact]
    public void A_later_start_keeps_the_accounts_it_made()
    {
        Builder().AddBootstrapAccounts();
        var first = File.ReadAllText(Path.Combine(_state, BootstrapAccounts.AccountsFile));

        Builder().AddBootstrapAccounts();

        Assert.Equal(first, File.ReadAllText(Path.Combine(_state, BootstrapAccounts.AccountsFile)));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private WebApplicationBuilder Builder()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Galaxy:Guardian:LocalStateDirectory"] = _state });
        return builder;
    }
}
