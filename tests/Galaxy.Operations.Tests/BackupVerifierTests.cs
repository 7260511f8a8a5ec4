using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Tests;

/// <summary>
/// What verification says of the WAL archive a backup needs: complete, missing its first segment, broken by a gap, or
/// holding a damaged copy; and of a backup folder without a manifest. The verdict is kept on the backup.
/// </summary>
public sealed class BackupVerifierTests
{
    private const string First = "000000010000000000000002";
    private const string Second = "000000010000000000000003";
    private const string Third = "000000010000000000000004";
    private const string Fourth = "000000010000000000000005";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_folder_without_a_manifest_fails_and_the_verdict_is_kept_on_the_backup()
    {
        using var folder = new BackupFolder();
        var backup = folder.Add(Now.AddHours(-1));
        folder.Archive(First);

        var verification = await VerifyAsync(folder, backup);

        var expected = $"{folder.Store.PathOf(backup.Id)} has no backup_manifest: it is not a complete base backup";
        Assert.False(verification.Passed);
        Assert.Equal(expected, verification.Record.VerificationFailure);
        Assert.Null(verification.ArchiveProblem);
        var kept = folder.Store.Get(backup.Id);
        Assert.Equal(Now, kept.VerifiedAt);
        Assert.Equal(expected, kept.VerificationFailure);
        Assert.False(kept.Verified);
    }

    [Fact]
    public async Task An_archive_that_runs_on_from_the_backup_is_followed_to_its_end_past_other_timelines_and_files()
    {
        using var folder = new BackupFolder();
        var backup = folder.Add(Now);
        foreach (var segment in new[] { First, Second, Third })
        {
            folder.Archive(segment);
        }

        folder.Archive("000000020000000000000006");
        folder.Archive("00000002.history", 42);
        folder.Archive(Fourth + ".tmp", 42);

        var verification = await VerifyAsync(folder, backup);

        Assert.Null(verification.ArchiveProblem);
        Assert.Equal(Third, verification.Archive.Last.ToString());
        Assert.False(verification.Archive.GapAfter);
    }

    [Fact]
    public async Task An_archive_without_the_backups_first_segment_restores_only_to_the_backups_end()
    {
        using var folder = new BackupFolder();
        var backup = folder.Add(Now);
        folder.Archive(Second);

        var verification = await VerifyAsync(folder, backup);

        Assert.Null(verification.Archive.Last);
        Assert.Equal($"the WAL archive holds none of this backup's WAL (from {First}): it restores only to its own end", verification.ArchiveProblem);
    }

    [Fact]
    public async Task A_gap_in_the_archive_is_named_where_a_restore_would_stop()
    {
        using var folder = new BackupFolder();
        var backup = folder.Add(Now);
        folder.Archive(First);
        folder.Archive(Second);
        folder.Archive(Fourth);

        var verification = await VerifyAsync(folder, backup);

        Assert.True(verification.Archive.GapAfter);
        Assert.Equal($"the WAL archive has a gap after {Second}: a restore from this backup stops there", verification.ArchiveProblem);
    }

    [Fact]
    public async Task A_truncated_segment_is_named_as_a_damaged_copy()
    {
        using var folder = new BackupFolder();
        var backup = folder.Add(Now);
        folder.Archive(First);
        folder.Archive(Second, BackupFolder.SegmentBytes / 2);
        folder.Archive(Third);

        var verification = await VerifyAsync(folder, backup);

        Assert.Equal($"archived WAL segments of the wrong size (damaged copies): {Second}", verification.ArchiveProblem);
    }

    private static Task<BackupVerification> VerifyAsync(BackupFolder folder, BackupRecord backup) =>
        new BackupVerifier(folder.Store, PostgresTools.Find(), new FixedClock(Now)).VerifyAsync(backup, CancellationToken.None);
}
