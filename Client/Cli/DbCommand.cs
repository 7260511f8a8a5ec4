using System.CommandLine;
using Galaxy.Operations.Postgres;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli db uri</c>: the configured database as a <c>postgresql://</c> URI, for <c>./galaxy db psql</c> to hand
/// to psql (whichever server that is: the private one or <c>GALAXY_CONNECTION_STRING</c>'s).
/// </summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var uri = new Command("uri", "Print the configured database as a postgresql:// URI (password included) for psql.");
        uri.SetAction((_, _) => OperatorCommand.Run(() =>
        {
            Console.WriteLine(LibpqConnection.Uri(OperatorConfiguration.ConnectionString(OperatorConfiguration.Load())));
            return Task.FromResult(0);
        }));
        return new Command("db", "The configured database.") { uri };
    }
}
