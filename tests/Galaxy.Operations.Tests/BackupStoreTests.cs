namespace Galaxy.Operations.Tests;

/// <summary>
/// The backup folder's bookkeeping: complete backups listed oldest first, unfinished ones told apart, ids unique within
/// a second, and a backup that is not there named with where to look.
/// </summary>
public sealed class BackupStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_empty_folder_has_no_backups_and_nothing_abandoned()
    {
        using var folder = new BackupFolder();

        Assert.Empty(folder.Store.List());
        Assert.Empty(folder.Store.Abandoned());
    }

    [Fact]
    public void Complete_backups_are_listed_oldest_first_and_unfinished_ones_only_as_abandoned()
    {
        using var folder = new BackupFolder();
        var later = folder.Add(Noon.AddHours(2));
        var earlier = folder.Add(Noon);
        var (_, interrupted) = folder.Store.Begin(Noon.AddHours(3));
        Directory.CreateDirectory(interrupted);
        Directory.CreateDirectory(Path.Combine(folder.Options.BaseDirectory, "not-a-backup"));

        Assert.Equal([earlier.Id, later.Id], folder.Store.List().Select(backup => backup.Id));
        Assert.Equal([interrupted], folder.Store.Abandoned());
        Assert.EndsWith(".partial", interrupted, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_backups_begun_in_one_second_get_different_ids_and_a_deleted_one_is_gone()
    {
        using var folder = new BackupFolder();
        var first = folder.Add(Noon);

        var (second, _) = folder.Store.Begin(first.StartedAt);

        Assert.Equal("20261201T115900Z", first.Id);
        Assert.Equal("20261201T115900Z-2", second);
        Assert.Equal(first, folder.Store.Get(first.Id));
        folder.Store.Delete(first.Id);
        Assert.Empty(folder.Store.List());
    }

    [Fact]
    public void A_backup_that_is_not_there_is_named_with_where_it_was_looked_for()
    {
        using var folder = new BackupFolder();

        var error = Assert.Throws<OperationsException>(() => folder.Store.Get("20200101T000000Z"));

        Assert.Equal($"No backup '20200101T000000Z' in {folder.Options.BaseDirectory} (./galaxy backup list shows them).", error.Message);
    }
}
