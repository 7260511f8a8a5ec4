using System.Diagnostics;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Runs <c>./galaxy</c> as an operator would, from the repository or from a copy of the script alone (a second
/// checkout), with the environment the test gives it and none of the test run's own server settings.
/// </summary>
public static class GalaxyScript
{
    public static string Repository => RepositoryBuild.Root;

    /// <summary>A folder with only the script in it: enough of a checkout for <c>./galaxy db …</c>.</summary>
    public static string NewCheckout()
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-checkout-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // Reachable by the server's account when run as root, as a checkout in a work tree is.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }

        File.Copy(Path.Combine(Repository, "galaxy"), Path.Combine(folder, "galaxy"));
        return folder;
    }

    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string checkout, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        BashAsync(checkout, environment, [Path.Combine(checkout, "galaxy"), .. arguments]);

    /// <summary>A bash command line in the checkout, e.g. one that sources the script to call one of its functions.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> ShellAsync(string checkout, string command) =>
        BashAsync(checkout, new Dictionary<string, string>(), ["-c", command]);

    private static async Task<(int ExitCode, string Output, string Errors)> BashAsync(
        string checkout, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = checkout };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in new[] { "GALAXY_CONNECTION_STRING", "GALAXY_PG_PORT", "Galaxy__Backup__Directory", "GALAXY_HTTP_PORT" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await output, await errors);
    }
}
