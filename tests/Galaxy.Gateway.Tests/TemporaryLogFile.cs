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
    /// Every whole line written, parsed (compact JSON, one event a line); the host's shutdown may leave its last line cut
    /// short.
    /// </summary>
    public List<JsonElement> Lines() =>
        _folder.GetFiles().SelectMany(file => File.ReadAllLines(file.FullName))
            .Where(line => line.EndsWith('}'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();

    public void Dispose() => _folder.Delete(recursive: true);
}
