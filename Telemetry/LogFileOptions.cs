using System.ComponentModel.DataAnnotations;

namespace Galaxy.Telemetry;

/// <summary>
/// A process's log file, bound from <c>Galaxy:Logging:File</c>: compact JSON, one event a line, rolled at
/// <see cref="SizeLimitBytes"/> with <see cref="RetainedFiles"/> kept, so a busy process cannot fill the disk.
/// </summary>
public sealed class LogFileOptions
{
    public const string Section = "Galaxy:Logging:File";

    /// <summary>The file (<c>.galaxy/logs/gateway.log</c>); rolled files get <c>_001</c>, <c>_002</c>… before the extension. Unset: logs go to the console only.</summary>
    public string? Path { get; set; }

    /// <summary>Where a file is closed and the next begun.</summary>
    [Range(1_024, long.MaxValue)]
    public long SizeLimitBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How many files are kept, the current one included; the oldest is deleted first.</summary>
    [Range(1, 1_000)]
    public int RetainedFiles { get; set; } = 4;
}
