using System.CommandLine;
using System.Text.RegularExpressions;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Cli;

/// <summary>
/// How the commands that talk to the gateway sign in: to the gateway <c>./galaxy up</c> started (or <c>--gateway</c>),
/// as <c>--user</c> (default <c>lead</c>, LEAD_AI) with <c>--password</c>, which defaults to that account's line in the
/// bootstrap credentials <c>./galaxy up</c> wrote (<c>$GALAXY_STATE_DIR/bootstrap-credentials.txt</c>), and
/// <c>--totp</c>, the current code of an account with a second factor (the CEO's).
/// </summary>
internal sealed partial class GatewaySession
{
    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = "The gateway's address",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GALAXY_GATEWAY_URL") ?? "http://127.0.0.1:5080",
    };

    public Option<string> User { get; } = new("--user") { Description = "The account to sign in as", DefaultValueFactory = _ => "lead" };

    public Option<string?> Password { get; } = new("--password") { Description = "Its password (default: from the bootstrap credentials)" };

    public Option<string?> Totp { get; } = new("--totp") { Description = "The current code of its second factor, for an account that has one" };

    public void AddTo(Command command)
    {
        command.Options.Add(Gateway);
        command.Options.Add(User);
        command.Options.Add(Password);
        command.Options.Add(Totp);
    }

    /// <summary>Signs in as <c>--user</c>, or as <paramref name="unnamedUser"/> (when given) if the command line names none.</summary>
    public async Task<GalaxyClient> SignInAsync(ParseResult result, CancellationToken cancellationToken, string? unnamedUser = null) =>
        (await SignInWithTokensAsync(result, cancellationToken, unnamedUser)).Client;

    public async Task<(GalaxyClient Client, TokenResponse Tokens)> SignInWithTokensAsync(
        ParseResult result, CancellationToken cancellationToken, string? unnamedUser = null)
    {
        var user = result.GetResult(User) is { Implicit: false } || unnamedUser is null ? result.GetValue(User)! : unnamedUser;
        var password = result.GetValue(Password) ?? BootstrapPassword(user);
        var client = new GalaxyClient(new HttpClient { BaseAddress = new Uri(result.GetValue(Gateway)!), Timeout = Timeout.InfiniteTimeSpan });
        var tokens = await client.SignInAsync(user, password, result.GetValue(Totp), cancellationToken);
        return (client, tokens);
    }

    private static string BootstrapPassword(string user)
    {
        var file = Path.Combine(Environment.GetEnvironmentVariable("GALAXY_STATE_DIR") ?? ".galaxy", "bootstrap-credentials.txt");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"No --password given and no bootstrap credentials at {file} (./galaxy up writes them).");
        }

        return File.ReadLines(file).Select(line => CredentialLine().Match(line)).FirstOrDefault(match => match.Success && match.Groups[1].Value == user)?.Groups[2].Value
            ?? throw new InvalidOperationException($"{file} has no password for '{user}'; give --password.");
    }

    // "  lead      LEAD_AI   password abc…"
    [GeneratedRegex(@"^\s*(\S+)\s+\S+\s+password\s+(\S+)\s*$")]
    private static partial Regex CredentialLine();
}
