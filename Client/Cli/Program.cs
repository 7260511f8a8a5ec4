using System.CommandLine;
using Galaxy.Cli;

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
    AuditCommand.Create(),
    SchemaCommand.Create(),
    DataKeysCommand.Create(),
    TlsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
