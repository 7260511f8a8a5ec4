using System.Diagnostics;
using System.Globalization;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>
/// <c>galaxy-load</c> (<c>./galaxy load</c>), the open-loop client that checks the gateway from outside: a run that
/// nothing answers (a gateway down, or every request refused) says so and why, and fails, instead of crashing on
/// percentiles of no latencies; options it cannot use are refused before it sends anything.
/// </summary>
public sealed class GalaxyLoadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_load_that_nothing_answers_reports_its_first_failure_and_exits_1()
    {
        var port = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture);

        var (exitCode, printed, errors) = await RunAsync("--url", $"http://127.0.0.1:{port}", "--rate", "100", "--seconds", "0.5", "--warm-up", "0");

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{printed}\n{errors}");
        Assert.Empty(errors);
        Assert.Contains("0 answered, 50 failed", printed, StringComparison.Ordinal);
        Assert.Contains("first failure: /health/live:", printed, StringComparison.Ordinal);
        Assert.Contains("RESULT {\"name\":\"load.answered\",\"value\":0,", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("p99_ms", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_latencies_file_in_a_folder_that_does_not_exist_is_refused_before_any_request()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"galaxy-load-{Guid.NewGuid():N}", "timeline.tsv");

        var (exitCode, printed, errors) = await RunAsync("--rate", "100", "--latencies", missing);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{printed}\n{errors}");
        Assert.Contains($"--latencies: there is no folder {Path.GetDirectoryName(missing)} to write timeline.tsv in.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("answered", printed, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Printed, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryBuild.AssemblyOf("bench/Galaxy.Load/Galaxy.Load"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("GALAXY_API_KEY");
        start.Environment.Remove("GALAXY_TOKEN");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output, await errors);
    }
}
