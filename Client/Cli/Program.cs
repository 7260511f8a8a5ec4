using System.CommandLine;
using Galaxy.Cli;

var root = new RootCommand("Galaxy's operator tool.")
{
    SeedCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    AuditCommand.Create(),
    SchemaCommand.Create(),
    DataKeysCommand.Create(),
    TlsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
