using System.ComponentModel.DataAnnotations;

namespace Galaxy.Operations.Backup;

/// <summary>Where backups and the WAL archive live and how long they are kept, bound from <c>Galaxy:Backup</c>.</summary>
public sealed class BackupOptions
{
    public const string Section = "Galaxy:Backup";

    /// <summary>
    /// The folder that holds base backups (<c>base/</c>) and the WAL archive (<c>wal/</c>). The server writes the
    /// archive, so the folder must be reachable and writable by it (its own disk, or a volume it shares with this one).
    /// </summary>
    [Required]
    public string Directory { get; set; } = "";

    /// <summary>
    /// The WAL archive's folder as the server sees it, when that differs from <c>Directory/wal</c> (a server in a
    /// container with the volume mounted elsewhere). Empty: the same path.
    /// </summary>
    public string ServerArchiveDirectory { get; set; } = "";

    /// <summary>
    /// The server's <c>archive_timeout</c>: the longest a committed transaction waits in a partly filled WAL segment
    /// before the segment is archived, and so the recovery point objective when the data folder is lost.
    /// </summary>
    [Range(1, 3600)]
    public int ArchiveTimeoutSeconds { get; set; } = 60;

    /// <summary>Base backups older than this are deleted (the newest verified one is always kept).</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>At most this many base backups are kept, the newest.</summary>
    [Range(1, 10_000)]
    public int RetentionCount { get; set; } = 14;

    /// <summary>Where a trial restore lays its scratch data folder (as large as a backup); empty: the system's temporary folder.</summary>
    public string ScratchDirectory { get; set; } = "";

    public string BaseDirectory => Path.Combine(Directory, "base");

    public string ArchiveDirectory => Path.Combine(Directory, "wal");

    public string ArchiveDirectoryForServer => ServerArchiveDirectory.Length > 0 ? ServerArchiveDirectory : ArchiveDirectory;

    /// <summary>Throws with every problem at once when the options cannot work.</summary>
    public BackupOptions Validate()
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        if (Directory.Length > 0 && !Path.IsPathFullyQualified(Directory))
        {
            problems.Add(new ValidationResult($"Directory must be an absolute path, not '{Directory}'."));
        }

        if ($"{Directory}{ServerArchiveDirectory}".IndexOfAny(['\'', '"', '\n', '%']) >= 0)
        {
            problems.Add(new ValidationResult("Directory and ServerArchiveDirectory cannot contain quotes, '%' or line breaks (they go into archive_command)."));
        }

        return problems.Count == 0
            ? this
            : throw new OperationsException(
                $"{Section} is not valid: " + string.Join(" ", problems.Select(problem => problem.ErrorMessage)) +
                $" (set it with {Section.Replace(":", "__", StringComparison.Ordinal)}__Directory=… or in appsettings.json)");
    }
}
