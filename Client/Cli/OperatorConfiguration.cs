using Galaxy.Operations;
using Galaxy.Operations.Backup;
using Galaxy.Persistence;
using Microsoft.Extensions.Configuration;

namespace Galaxy.Cli;

/// <summary>
/// The Galaxy configuration the operator commands read, as every Galaxy process does: <c>appsettings.json</c> beside
/// the tool, then environment variables (<c>Galaxy__Backup__Directory</c>, <c>GALAXY_CONNECTION_STRING</c>), validated
/// before any work starts.
/// </summary>
internal static class OperatorConfiguration
{
    public static IConfiguration Load() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();

    public static string ConnectionString(IConfiguration configuration)
    {
        try
        {
            return configuration.GetGalaxyConnectionString();
        }
        catch (InvalidOperationException missing)
        {
            throw new OperationsException(missing.Message);
        }
    }

    public static BackupOptions Backup(IConfiguration configuration)
    {
        var options = new BackupOptions();
        configuration.GetSection(BackupOptions.Section).Bind(options);
        return options.Validate();
    }
}
