namespace Galaxy.Operations.Tests;

public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_newest_backups_within_the_count_and_age_are_kept()
    {
        var backups = Enumerable.Range(0, 6).Select(daysAgo => Backup(daysAgo, verified: true)).ToList();
        var options = Options(retentionDays: 3, retentionCount: 4);

        var expired = RetentionPolicy.Expired(backups, options, Now);

        // Four by count (0–3 days old), of which the 3-day-old one is still within three days: 4, 5 days go.
        Assert.Equal(["d4", "d5"], expired.Select(backup => backup.Id).Order());
    }

    [Fact]
    public void Age_removes_backups_the_count_would_keep()
    {
        var backups = Enumerable.Range(0, 5).Select(daysAgo => Backup(daysAgo * 10, verified: true)).ToList();

        var expired = RetentionPolicy.Expired(backups, Options(retentionDays: 15, retentionCount: 10), Now);

        Assert.Equal(["d20", "d30", "d40"], expired.Select(backup => backup.Id).Order());
    }

    [Fact]
    public void The_newest_verified_backup_is_kept_however_old()
    {
        var backups = new List<BackupRecord> { Backup(40, verified: true), Backup(35, verified: false), Backup(50, verified: true) };

        var expired = RetentionPolicy.Expired(backups, Options(retentionDays: 7, retentionCount: 1), Now);

        Assert.Equal(["d35", "d50"], expired.Select(backup => backup.Id).Order());
    }

    [Fact]
    public void Archived_wal_before_the_oldest_kept_backup_is_unneeded_and_history_files_stay()
    {
        var archive = Directory.CreateTempSubdirectory("galaxy-wal-").FullName;
        try
        {
            string[] files =
            [
                "000000010000000000000003", "000000010000000000000004", "000000010000000000000004.00000028.backup",
                "000000010000000000000005", "000000020000000000000006", "00000002.history",
            ];
            foreach (var file in files)
            {
                File.WriteAllText(Path.Combine(archive, file), "");
            }

            var kept = new[] { Backup(1, verified: true) with { StartWalFile = "000000010000000000000005" } };
            var unneeded = RetentionPolicy.UnneededWal(kept, archive).Select(Path.GetFileName).Order();

            Assert.Equal(["000000010000000000000003", "000000010000000000000004", "000000010000000000000004.00000028.backup"], unneeded);
        }
        finally
        {
            Directory.Delete(archive, recursive: true);
        }
    }

    [Fact]
    public void Nothing_archived_is_unneeded_while_no_backup_is_kept_or_before_there_is_an_archive()
    {
        using var folder = new BackupFolder();
        var kept = folder.Add(Now);

        Assert.Empty(RetentionPolicy.UnneededWal([kept], folder.Store.ArchiveDirectory));
        folder.Archive("000000010000000000000001");
        Assert.Empty(RetentionPolicy.UnneededWal([], folder.Store.ArchiveDirectory));
    }

    [Theory]
    [InlineData("000000010000000000000001", 16 * 1024 * 1024, 1)]
    [InlineData("0000000100000001000000FF", 16 * 1024 * 1024, 511)]
    [InlineData("000000030000000200000003", 64 * 1024 * 1024, 2 * 64 + 3)]
    public void Segment_names_count_segments_across_logs(string name, long segmentBytes, long segment)
    {
        var parsed = WalSegmentName.Parse(name, segmentBytes);

        Assert.Equal(segment, parsed.Segment);
        Assert.Equal(name, parsed.ToString());
        Assert.Equal(segment + 1, parsed.Next.Segment);
    }

    [Fact]
    public void The_segment_after_the_last_of_a_log_starts_the_next_log() =>
        Assert.Equal("000000010000000200000000", WalSegmentName.Parse("0000000100000001000000FF", 16 * 1024 * 1024).Next.ToString());

    [Fact]
    public void Options_name_every_problem_at_once()
    {
        var problem = Assert.Throws<OperationsException>(() => new BackupOptions { Directory = "relative/folder", RetentionCount = 0 }.Validate());

        Assert.Contains("absolute path", problem.Message, StringComparison.Ordinal);
        Assert.Contains("RetentionCount", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Galaxy__Backup__Directory", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_name_that_would_break_the_archive_command_is_refused()
    {
        var problem = Assert.Throws<OperationsException>(() => new BackupOptions { Directory = "/backups/it's" }.Validate());

        Assert.Contains("cannot contain quotes, '%' or line breaks (they go into archive_command)", problem.Message, StringComparison.Ordinal);
    }

    private static BackupOptions Options(int retentionDays, int retentionCount) =>
        new() { Directory = "/backups", RetentionDays = retentionDays, RetentionCount = retentionCount };

    private static BackupRecord Backup(int daysAgo, bool verified) => new()
    {
        Id = $"d{daysAgo}",
        ServerVersion = "15",
        SystemIdentifier = "1",
        Timeline = 1,
        StartLsn = "0/1000028",
        EndLsn = "0/1000100",
        StartWalFile = "000000010000000000000001",
        WalSegmentBytes = 16 * 1024 * 1024,
        StartedAt = Now.AddDays(-daysAgo),
        FinishedAt = Now.AddDays(-daysAgo).AddMinutes(1),
        Bytes = 1,
        Files = 1,
        VerifiedAt = verified ? Now.AddDays(-daysAgo) : null,
    };
}
