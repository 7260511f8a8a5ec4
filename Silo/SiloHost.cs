using System.ComponentModel.DataAnnotations;
using Galaxy.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Galaxy.Silo;

/// <summary>
/// The silo's host as the program runs it, built apart from running it so that tests can build it in-process:
/// configuration from <c>appsettings.json</c> beside the program, the environment and the command line; the silo's
/// place in its cluster checked before Orleans is set up.
/// </summary>
public static class SiloHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        // appsettings.json (the log levels among it) is read from beside the program, wherever it was started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddGalaxyLogFile(builder.Configuration);
        var cluster = ReadClusterOptions(builder.Configuration);
        builder.UseOrleans(silo => silo
            .UseGalaxyEndpoints(cluster)
            .UseGalaxy(builder.Configuration));
        return builder;
    }

    /// <summary><see cref="GalaxyClusterOptions"/> from configuration; every problem with them at once, naming the section.</summary>
    /// <exception cref="ValidationException">The options cannot work.</exception>
    public static GalaxyClusterOptions ReadClusterOptions(IConfiguration configuration)
    {
        var cluster = configuration.GetSection(GalaxyClusterOptions.Section).Get<GalaxyClusterOptions>() ?? new();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(cluster, new ValidationContext(cluster), problems, validateAllProperties: true))
        {
            throw new ValidationException(
                $"{GalaxyClusterOptions.Section} is not valid: {string.Join(" ", problems.Select(problem => problem.ErrorMessage))}");
        }

        return cluster;
    }
}
