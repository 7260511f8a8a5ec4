using System.Collections.Concurrent;
using System.Diagnostics;

namespace Galaxy.Testing.Processes;

/// <summary>
/// One of Galaxy's programs (a silo, the gateway) run as its own process from its build output, as in production,
/// with its settings on the command line. <see cref="Kill"/> is SIGKILL: no shutdown code runs. The last lines it
/// printed are kept for the message of a failure.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastLines = new();

    private AppProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="project"/>'s assembly (e.g. <c>Silo/Galaxy.Silo</c>) with <c>--key=value</c> settings.</summary>
    public static AppProcess Start(string name, string project, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryBuild.AssemblyOf(project));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var app = new AppProcess(name, process);
        process.OutputDataReceived += (_, line) => app.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => app.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public string LastLines() => $"--- last lines of {Name} ---\n{string.Join('\n', _lastLines)}";

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lastLines.Enqueue(line);
        while (_lastLines.Count > KeptLines)
        {
            _lastLines.TryDequeue(out _);
        }
    }
}
