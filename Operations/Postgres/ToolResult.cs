using System.Diagnostics;
using System.Text;

namespace Galaxy.Operations.Postgres;

/// <summary>A finished run of an external program: its exit code and what it printed.</summary>
public sealed record ToolResult(string Program, IReadOnlyList<string> Arguments, int ExitCode, string Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;

    public ToolResult ThrowIfFailed(string? what = null)
    {
        if (!Succeeded)
        {
            var said = (Errors.Trim().Length > 0 ? Errors : Output).Trim();
            throw new OperationsException(
                $"{what ?? Path.GetFileName(Program)} failed (exit {ExitCode}): {said}\n  command: {Path.GetFileName(Program)} {string.Join(' ', Arguments)}");
        }

        return this;
    }

    /// <summary>
    /// Runs a program to its end. Standard error is read line by line (pg_basebackup's progress comes on it, ended by
    /// carriage returns) and each line handed to <paramref name="onError"/>.
    /// </summary>
    public static async Task<ToolResult> RunAsync(
        string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, Action<string>? onError,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new OperationsException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = ReadLinesAsync(process.StandardError, onError, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolResult(program, arguments, process.ExitCode, await output, await errors);
    }

    private static async Task<string> ReadLinesAsync(StreamReader reader, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var all = new StringBuilder();
        var line = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c is '\n' or '\r')
                {
                    if (line.Length > 0)
                    {
                        var text = line.ToString();
                        onLine?.Invoke(text);
                        if (c == '\n')
                        {
                            all.AppendLine(text);
                        }

                        line.Clear();
                    }
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        if (line.Length > 0)
        {
            onLine?.Invoke(line.ToString());
            all.Append(line);
        }

        return all.ToString();
    }
}
