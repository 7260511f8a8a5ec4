using System.CommandLine;
using Galaxy.Persistence;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli schema apply</c>: brings the database to this build's schema, as the role in
/// <c>GALAXY_CONNECTION_STRING</c>, which must be the schema's owner (<see cref="DatabaseRoles.Owner"/>): silos and
/// gateways connect as roles that cannot change it (schema 0010). <c>./galaxy up</c> runs it before starting them.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var apply = new Command("apply", "Apply the schema scripts this build carries that the database lacks.");
        apply.SetAction(async (_, cancellationToken) =>
        {
            var connectionString = Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable)
                ?? throw new InvalidOperationException($"{GalaxyConnection.EnvironmentVariable} is not set (./galaxy up sets it to the owner's).");
            var applied = await new SchemaMigrator().ApplyAsync(connectionString, cancellationToken);
            foreach (var script in applied)
            {
                AnsiConsole.MarkupLineInterpolated($"applied [bold]{script.Name}[/]");
            }

            AnsiConsole.MarkupLineInterpolated($"schema current: version {SchemaMigrator.Scripts[^1].Version}");
            return 0;
        });
        return new Command("schema", "The database schema.") { apply };
    }
}
