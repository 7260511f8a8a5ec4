using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Running PostgreSQL's programs: standard error handed over line by line as it comes (progress lines, ended by
/// carriage returns, shown but not kept), the environment given, a failure told with what the program said, and a
/// cancelled run stopped.
/// </summary>
public sealed class ToolResultTests
{
    [Fact]
    public async Task Standard_error_is_handed_over_line_by_line_and_progress_lines_are_shown_but_not_kept()
    {
        var lines = new List<string>();

        var run = await ToolResult.RunAsync(
            "sh", ["-c", @"printf '10/40 kB\r20/40 kB\r' >&2; printf 'warning: slow\nlast words' >&2; echo done"], null, lines.Add, CancellationToken.None);

        Assert.Equal(["10/40 kB", "20/40 kB", "warning: slow", "last words"], lines);
        Assert.Equal($"warning: slow{Environment.NewLine}last words", run.Errors);
        Assert.Equal("done\n", run.Output);
        Assert.True(run.Succeeded);
        Assert.Same(run, run.ThrowIfFailed());
    }

    [Fact]
    public async Task The_environment_given_reaches_the_program()
    {
        var run = await ToolResult.RunAsync(
            "sh", ["-c", "echo \"$GALAXY_TOOL_TEST\""], new Dictionary<string, string> { ["GALAXY_TOOL_TEST"] = "from the caller" }, null, CancellationToken.None);

        Assert.Equal("from the caller\n", run.Output);
    }

    [Fact]
    public async Task A_failure_is_told_with_what_the_program_said_and_how_it_was_run()
    {
        var onError = await ToolResult.RunAsync("sh", ["-c", "echo 'on stdout'; echo 'it broke' >&2; exit 3"], null, null, CancellationToken.None);
        var onOutput = await ToolResult.RunAsync("sh", ["-c", "echo 'only on stdout'; exit 4"], null, null, CancellationToken.None);

        Assert.False(onError.Succeeded);
        var error = Assert.Throws<OperationsException>(() => onError.ThrowIfFailed());
        Assert.Equal("sh failed (exit 3): it broke\n  command: sh -c echo 'on stdout'; echo 'it broke' >&2; exit 3", error.Message);
        Assert.StartsWith("the check failed (exit 4): only on stdout\n", Assert.Throws<OperationsException>(() => onOutput.ThrowIfFailed("the check")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_is_stopped()
    {
        using var cancel = new CancellationTokenSource();
        var run = ToolResult.RunAsync("sleep", ["600"], null, null, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
