using System.ComponentModel.DataAnnotations;
using Galaxy.Silo;
using Galaxy.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// appsettings.json (the log levels among it) is read from beside the program, wherever it was started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddGalaxyLogFile(builder.Configuration);

var cluster = builder.Configuration.GetSection(GalaxyClusterOptions.Section).Get<GalaxyClusterOptions>() ?? new();
Validator.ValidateObject(cluster, new ValidationContext(cluster), validateAllProperties: true);

builder.UseOrleans(silo => silo
    .UseGalaxyEndpoints(cluster)
    .UseGalaxy(builder.Configuration));

await builder.Build().RunAsync();

/// <summary>The silo's entry point; internal so that it never clashes with the gateway's in a project that sees both.</summary>
internal sealed partial class Program;
