using System.Diagnostics;
using System.Globalization;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>
/// <c>galaxy-load</c> (<c>./galaxy load</c>), the open-loop client that checks the gateway from outside: a run that
/// nothing answers (a gateway down, or every request refused) says so and why, and fails, instead of crashing on
/// percentiles of no latencies.
/// </summary>
public sealed class GalaxyLoadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_load_that_nothing_answers_reports_its_first_failure_and_exits_1()
    {
        var port = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepositoryBuild.AssemblyOf("bench/Galaxy.Load/Galaxy.Load"), "--url", $"http://127.0.0.1:{port}", "--rate", "100", "--seconds", "0.5", "--warm-up", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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

        var printed = await output;
        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}\n{printed}\n{await errors}");
        Assert.Empty(await errors);
        Assert.Contains("0 answered, 50 failed", printed, StringComparison.Ordinal);
        Assert.Contains("first failure: /health/live:", printed, StringComparison.Ordinal);
        Assert.Contains("RESULT {\"name\":\"load.answered\",\"value\":0,", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("p99_ms", printed, StringComparison.Ordinal);
    }
}
