namespace Galaxy.Operations.Restore;

/// <summary>One restore: which backup, how far, into which data folder, and how the restored server is run meanwhile.</summary>
public sealed record RestoreRequest
{
    /// <summary>The base backup to start from; null: the newest verified one that finished before the target.</summary>
    public string? BackupId { get; init; }

    public RecoveryTarget Target { get; init; } = RecoveryTarget.Latest;

    /// <summary>The data folder to create. It must not exist or be empty, unless <see cref="ReplaceExisting"/>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// An existing data folder is moved aside to <c>DataDirectory.replaced-UTCTIME</c> (never deleted: the operator
    /// decides when it may go).
    /// </summary>
    public bool ReplaceExisting { get; init; }

    /// <summary>The port the restored server listens on (127.0.0.1) while it recovers and is checked.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// The original server's connection string: its account and database are the restored server's too (they come back
    /// with the backup); host and port are replaced by the restored server's.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// Let the restored server archive its own WAL (its new timeline) into the archive it was restored from, as the
    /// server it replaces did. Off for trial restores, which must leave the archive untouched.
    /// </summary>
    public bool ArchiveAfterRestore { get; init; } = true;

    /// <summary>Leave the restored server running when done (otherwise it is stopped cleanly, ready to be started).</summary>
    public bool KeepRunning { get; init; }

    /// <summary>What the restore is doing now, for a progress display: a phase and, while copying, the fraction done.</summary>
    public Action<string, double?> Progress { get; init; } = (_, _) => { };
}
