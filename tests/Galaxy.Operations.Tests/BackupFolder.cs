namespace Galaxy.Operations.Tests;

/// <summary>
/// A backup folder of a test's own, in which backups are only their records (and archived WAL segments only files of
/// the right size): for the logic that reads them, without a server to back up.
/// </summary>
internal sealed class BackupFolder : IDisposable
{
    public const long SegmentBytes = 1 << 20;

    public BackupFolder() => Options = new BackupOptions { Directory = Directory.CreateTempSubdirectory("galaxy-backup-folder-").FullName }.Validate();

    public BackupOptions Options { get; }

    public BackupStore Store => new(Options);

    /// <summary>A complete backup's record, as a finished backup leaves it.</summary>
    public BackupRecord Add(DateTimeOffset finishedAt, string? verificationFailure = null, string startWalFile = "000000010000000000000002")
    {
        var (id, partial) = Store.Begin(finishedAt.AddMinutes(-1));
        Directory.CreateDirectory(partial);
        var record = new BackupRecord
        {
            Id = id,
            ServerVersion = "17.2",
            SystemIdentifier = "7000000000000000001",
            Timeline = 1,
            StartLsn = "0/2000028",
            EndLsn = "0/2000100",
            StartWalFile = startWalFile,
            WalSegmentBytes = SegmentBytes,
            StartedAt = finishedAt.AddMinutes(-1),
            FinishedAt = finishedAt,
            Bytes = 1,
            Files = 1,
            VerifiedAt = finishedAt,
            VerificationFailure = verificationFailure,
        };
        Store.Complete(id, record);
        return record;
    }

    /// <summary>An archived WAL segment, sparse: only its name and size matter to the checks.</summary>
    public void Archive(string segment, long bytes = SegmentBytes)
    {
        Directory.CreateDirectory(Options.ArchiveDirectory);
        using var file = File.Create(Path.Combine(Options.ArchiveDirectory, segment));
        file.SetLength(bytes);
    }

    public void Dispose() => Directory.Delete(Options.Directory, recursive: true);
}
