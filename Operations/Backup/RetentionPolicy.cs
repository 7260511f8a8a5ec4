namespace Galaxy.Operations.Backup;

/// <summary>
/// Which base backups to keep: the newest <see cref="BackupOptions.RetentionCount"/>, none older than
/// <see cref="BackupOptions.RetentionDays"/>, and always the newest verified one, whatever its age, so that pruning
/// can never leave nothing to restore from. The archive keeps every WAL segment the oldest kept backup needs.
/// </summary>
public static class RetentionPolicy
{
    /// <summary>The backups (of <paramref name="backups"/>) to delete at <paramref name="now"/>.</summary>
    public static IReadOnlyList<BackupRecord> Expired(IReadOnlyList<BackupRecord> backups, BackupOptions options, DateTimeOffset now)
    {
        var newestFirst = backups.OrderByDescending(backup => backup.StartedAt).ToList();
        var keep = newestFirst
            .Take(options.RetentionCount)
            .Where(backup => now - backup.StartedAt <= TimeSpan.FromDays(options.RetentionDays))
            .ToHashSet();
        if (newestFirst.FirstOrDefault(backup => backup.Verified) is { } newestVerified)
        {
            keep.Add(newestVerified);
        }

        return newestFirst.Where(backup => !keep.Contains(backup)).ToList();
    }

    /// <summary>
    /// Archived WAL files that no kept backup needs: those before the oldest kept backup's first segment (any
    /// timeline's history files are kept, as are files that are not WAL).
    /// </summary>
    public static IReadOnlyList<string> UnneededWal(IReadOnlyList<BackupRecord> kept, string archiveDirectory)
    {
        if (kept.Count == 0 || !Directory.Exists(archiveDirectory))
        {
            return [];
        }

        var oldest = kept.MinBy(backup => backup.StartedAt)!;
        var first = WalSegmentName.Parse(oldest.StartWalFile, oldest.WalSegmentBytes);
        return Directory.EnumerateFiles(archiveDirectory)
            .Where(path =>
            {
                var name = Path.GetFileName(path);
                // Segments and their .backup / .partial companions start with a segment's name.
                return name.Length >= 24
                       && WalSegmentName.TryParse(name[..24], oldest.WalSegmentBytes, out var segment)
                       && !name.EndsWith(".history", StringComparison.Ordinal)
                       && segment.Segment < first.Segment;
            })
            .ToList();
    }
}
