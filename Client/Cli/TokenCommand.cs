using System.CommandLine;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli token</c>: signs in to the gateway (by default as <c>lead</c> with the bootstrap password) and prints
/// the access token, so that <c>curl -H "Authorization: Bearer $(./galaxy token)" …</c> works as the banner of
/// <c>./galaxy up</c> shows.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var session = new GatewaySession();
        var command = new Command("token", "Sign in to the gateway and print an access token (for curl's Authorization: Bearer).");
        session.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (_, tokens) = await session.SignInWithTokensAsync(result, cancellationToken);
            Console.WriteLine(tokens.AccessToken);
            return 0;
        });
        return command;
    }
}
