using System.Collections.Concurrent;
using System.Diagnostics;

namespace Galaxy.Testing.Processes;

/// <summary>
/// One of Galaxy's programs (a silo, the gateway) run as its own process from its build output, as in production,
/// with its settings on the command line. <see cref="Kill"/> is SIGKILL: no shutdown code runs. Everything it prints
/// goes to <see cref="LogFile"/>, when it has one; the last lines are kept for the message of a failure.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastLines = new();
    private readonly StreamWriter? _log;

    private AppProcess(string name, Process process, string? logFile)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        _log = logFile is null ? null : new StreamWriter(logFile) { AutoFlush = true };
    }

    public string Name { get; }

    public string? LogFile { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the process (for a diagnostics client, say).</summary>
    public int Id => _process.Id;

    /// <summary>The CPU time the process has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The memory the process holds now (its working set).</summary>
    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>
    /// Starts <paramref name="project"/>'s assembly (e.g. <c>Silo/Galaxy.Silo</c>) with <c>--key=value</c> settings,
    /// and <paramref name="environment"/> added to the environment it inherits.
    /// </summary>
    public static AppProcess Start(
        string name, string project, IReadOnlyDictionary<string, string> settings, string? logDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(RepositoryBuild.AssemblyOf(project));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var app = new AppProcess(name, process, logDirectory is null ? null : Path.Combine(logDirectory, name + ".log"));
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

    public string LastLines() => $"--- last lines of {Name}{(LogFile is null ? "" : $" (all in {LogFile})")} ---\n{string.Join('\n', _lastLines)}";

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_log is not null)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }

        _lastLines.Enqueue(line);
        while (_lastLines.Count > KeptLines)
        {
            _lastLines.TryDequeue(out _);
        }
    }
}
