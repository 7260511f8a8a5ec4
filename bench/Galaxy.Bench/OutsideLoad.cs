using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Galaxy.Testing.Processes;

namespace Galaxy.Bench;

/// <summary>
/// An open loop run by <c>galaxy-load</c> (bench/Galaxy.Load), a process of its own: the same requests at the same
/// rate as the benchmark's own generator, which shares a process with the silo. Where the two disagree, the
/// difference is what the silo's process did to its own generator (its collections, its thread pool), not the gateway.
/// </summary>
internal static class OutsideLoad
{
    private const string Prefix = "outside";

    public static async Task<LoadFigures> RunAsync(
        Uri gateway, string apiKey, IEnumerable<LoadRequest> requests, double perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, LoadRequest.Format(requests), cancellationToken);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(RepositoryBuild.AssemblyOf("bench/Galaxy.Load/Galaxy.Load"));
            foreach (var argument in new[]
            {
                "--url", gateway.ToString(),
                "--rate", perSecond.ToString("F1", CultureInfo.InvariantCulture),
                "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                "--warm-up", (duration.TotalSeconds / 2).ToString(CultureInfo.InvariantCulture),
                "--requests", file,
                "--name", Prefix,
            })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["GALAXY_API_KEY"] = apiKey;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start galaxy-load");
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"galaxy-load exited with {process.ExitCode}:\n{output}\n{await errors}");
            }

            var results = Results(output);
            return new LoadFigures(
                (long)results[$"{Prefix}.answered"], (long)results[$"{Prefix}.failures"], results[$"{Prefix}.seconds"],
                results[$"{Prefix}.p50_ms"], results[$"{Prefix}.p95_ms"], results[$"{Prefix}.p99_ms"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, double> Results(string output) =>
        output.Split('\n')
            .Where(line => line.StartsWith("RESULT ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["RESULT ".Length..]).RootElement)
            .ToDictionary(result => result.GetProperty("name").GetString()!, result => result.GetProperty("value").GetDouble());
}
