using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Backup;

/// <summary>
/// Checks a backup without restoring it: <c>pg_verifybackup</c> recomputes every file's SHA-256 against the backup's
/// manifest (and the manifest's own checksum) and parses the WAL that makes the backup consistent; then the archive is
/// checked to run on from the backup's first segment without a gap or a truncated segment. A trial restore
/// (<see cref="Restore.TrialRestore"/>) is the proof beyond this.
/// </summary>
public sealed class BackupVerifier(BackupStore store, PostgresTools tools, TimeProvider time)
{
    public async Task<BackupVerification> VerifyAsync(BackupRecord record, CancellationToken cancellationToken)
    {
        var failure = await VerifyFilesAsync(tools, store.PathOf(record.Id), cancellationToken);
        var continuity = new WalArchive(store.Options).Continuity(WalSegmentName.Parse(record.StartWalFile, record.WalSegmentBytes));
        var archiveProblem = continuity switch
        {
            { WrongSize.Count: > 0 } => $"archived WAL segments of the wrong size (damaged copies): {string.Join(", ", continuity.WrongSize.Take(5))}",
            { Last: null } => $"the WAL archive holds none of this backup's WAL (from {continuity.First}): it restores only to its own end",
            { GapAfter: true } => $"the WAL archive has a gap after {continuity.Last}: a restore from this backup stops there",
            _ => null,
        };
        var updated = record with { VerifiedAt = time.GetUtcNow(), VerificationFailure = failure };
        store.Save(updated);
        return new BackupVerification(updated, continuity, archiveProblem);
    }

    /// <summary>Runs <c>pg_verifybackup</c> on a backup folder; null when it passes, else what it found.</summary>
    public static async Task<string?> VerifyFilesAsync(PostgresTools tools, string folder, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(folder, "backup_manifest")))
        {
            return $"{folder} has no backup_manifest: it is not a complete base backup";
        }

        var run = await tools.RunAsync(
            "pg_verifybackup", ["--quiet", "-i", BackupRecord.FileName, "-i", BackupRecord.FileName + ".tmp", folder], cancellationToken: cancellationToken);
        return run.Succeeded ? null : (run.Errors + run.Output).Trim().Replace("pg_verifybackup: error: ", "", StringComparison.Ordinal);
    }
}

/// <summary>One verification's findings.</summary>
/// <param name="Record">The backup, with the verdict recorded.</param>
/// <param name="Archive">How far the archive runs from the backup.</param>
/// <param name="ArchiveProblem">A gap or damaged segment in the archive, if any: the backup itself may still be sound.</param>
public sealed record BackupVerification(BackupRecord Record, ArchiveContinuity Archive, string? ArchiveProblem)
{
    public bool Passed => Record.VerificationFailure is null && ArchiveProblem is null;
}
