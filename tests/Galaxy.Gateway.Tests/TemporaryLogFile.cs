using System.Text.Json;
using Galaxy.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Galaxy.Gateway.Tests;

/// <summary>A gateway log file (<c>Galaxy:Logging:File</c>) in a folder of its own, deleted with it.</summary>
public sealed class TemporaryLogFile : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("galaxy-gateway-logs-");

    public TemporaryLogFile() =>
        Configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [LogFileOptions.Section + ":Path"] = Path.Combine(_folder.FullName, "gateway.log") })
            .Build();

    /// <summary>The settings that point <see cref="GalaxyLogFile.AddGalaxyLogFile"/> at the file.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>
    /// Every whole line written (compact JSON, one event a line, parsed) once one of them is <paramref name="awaited"/>.
    /// The file is flushed every second while its gateway runs, and after the gateway's host is disposed, which for a
    /// test host happens on its own thread, after <c>DisposeAsync</c> has returned: so wait for the line, up to 15 s.
    /// </summary>
    public async Task<List<JsonElement>> LinesOnceWrittenAsync(Func<JsonElement, bool> awaited)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var lines = WholeLines();
            if (lines.Any(awaited))
            {
                return lines;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The awaited line was not written in 15 s; the file held {lines.Count} lines.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    // A line being written may be read cut short.
    private List<JsonElement> WholeLines() =>
        _folder.GetFiles().SelectMany(file => File.ReadAllLines(file.FullName))
            .Where(line => line.EndsWith('}'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();

    public void Dispose() => _folder.Delete(recursive: true);
}
