using System.CommandLine;
using Galaxy.Cli;
using Spectre.Console;

// Piped into grep or a file, a table keeps each row on one line instead of folding at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 400;
}

var root = new RootCommand("Galaxy's operator tool.")
{
    SeedCommand.Create(),
    StatusCommand.Create(),
    BackupCommand.Create(),
    RestoreCommand.Create(),
    DbCommand.Create(),
    TokenCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    DeployCommand.Create(),
    ApproveCommand.Create(),
    ModelsCommand.Create(),
    AlertsCommand.Create(),
    AuditCommand.Create(),
    SchemaCommand.Create(),
    DataKeysCommand.Create(),
    TlsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
