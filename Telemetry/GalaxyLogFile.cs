using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace Galaxy.Telemetry;

/// <summary>
/// Logs to a file that rolls and is capped (<see cref="LogFileOptions"/>) instead of the console, when a path is set.
/// Which categories log at which level is still <c>Logging:LogLevel</c>'s; each line carries the trace and span id
/// of the request it was written in (<c>@tr</c>, <c>@sp</c>).
/// </summary>
public static class GalaxyLogFile
{
    public static ILoggingBuilder AddGalaxyLogFile(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var options = configuration.GetSection(LogFileOptions.Section).Get<LogFileOptions>() ?? new();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (string.IsNullOrEmpty(options.Path))
        {
            return logging;
        }

        // Verbose here: Logging:LogLevel filters each line before it reaches Serilog.
        var file = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.File(
                new CompactJsonFormatter(),
                options.Path,
                fileSizeLimitBytes: options.SizeLimitBytes,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: options.RetainedFiles,
                buffered: true,
                flushToDiskInterval: TimeSpan.FromSeconds(1))
            .CreateLogger();
        logging.ClearProviders();
        // Not AddSerilog: it also adds a rule that passes every level of every category to Serilog, and a rule for the
        // provider outranks Logging:LogLevel's, so `./galaxy up` wrote ASP.NET Core's and Orleans's Debug and Trace lines
        // (ten a request) whatever appsettings.json said.
        logging.Services.AddSingleton<ILoggerProvider>(_ => new SerilogLoggerProvider(file, dispose: true));
        return logging;
    }
}
