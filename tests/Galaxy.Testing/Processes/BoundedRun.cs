using System.Diagnostics;
using System.Text;

namespace Galaxy.Testing.Processes;

/// <summary>What a program run to its end printed (standard output and error, interleaved as they came) and its exit code.</summary>
public sealed record BoundedRun(int ExitCode, string Output)
{
    /// <summary>
    /// Starts <paramref name="start"/> with its output captured and waits for it to exit; past <paramref name="bound"/>
    /// it kills the process tree and throws a <see cref="TimeoutException"/> that carries what it had printed.
    /// </summary>
    public static async Task<BoundedRun> RunAsync(ProcessStartInfo start, TimeSpan bound)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                throw new TimeoutException($"{Path.GetFileName(start.ArgumentList.FirstOrDefault() ?? start.FileName)} ran past {bound}:\n{output}");
            }
        }

        // The exit is seen before the last lines are read; this wait drains them.
        process.WaitForExit();
        lock (output)
        {
            return new BoundedRun(process.ExitCode, output.ToString());
        }
    }
}
