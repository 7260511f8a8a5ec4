using System.Globalization;

namespace Galaxy.Operations.Backup;

/// <summary>
/// The backup folder: <c>base/ID/</c> holds one base backup (a plain copy of the data folder with PostgreSQL's
/// <c>backup_manifest</c> and Galaxy's <see cref="BackupRecord"/>); <c>base/ID.partial/</c> one still being taken or
/// abandoned; <c>wal/</c> the WAL archive the server writes.
/// </summary>
public sealed class BackupStore(BackupOptions options)
{
    private const string Partial = ".partial";

    public BackupOptions Options { get; } = options;

    public string ArchiveDirectory => Options.ArchiveDirectory;

    /// <summary>Every complete backup, oldest first.</summary>
    public IReadOnlyList<BackupRecord> List() =>
        !Directory.Exists(Options.BaseDirectory)
            ? []
            : Directory.GetDirectories(Options.BaseDirectory)
                .Where(folder => !folder.EndsWith(Partial, StringComparison.Ordinal) && File.Exists(Path.Combine(folder, BackupRecord.FileName)))
                .Select(folder => BackupRecord.Read(Path.Combine(folder, BackupRecord.FileName)))
                .OrderBy(record => record.StartedAt)
                .ToList();

    /// <summary>Folders of backups that never completed (interrupted, or failed verification before they were recorded).</summary>
    public IReadOnlyList<string> Abandoned() =>
        !Directory.Exists(Options.BaseDirectory)
            ? []
            : Directory.GetDirectories(Options.BaseDirectory).Where(folder => folder.EndsWith(Partial, StringComparison.Ordinal)).ToList();

    public BackupRecord Get(string id)
    {
        var file = Path.Combine(PathOf(id), BackupRecord.FileName);
        return File.Exists(file)
            ? BackupRecord.Read(file)
            : throw new OperationsException($"No backup '{id}' in {Options.BaseDirectory} (./galaxy backup list shows them).");
    }

    public string PathOf(string id) => Path.Combine(Options.BaseDirectory, id);

    public void Save(BackupRecord record) => record.Write(Path.Combine(PathOf(record.Id), BackupRecord.FileName));

    /// <summary>A new backup's id (its UTC start, to the second) and the folder to write it in.</summary>
    public (string Id, string Folder) Begin(DateTimeOffset now)
    {
        Directory.CreateDirectory(Options.BaseDirectory);
        var id = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        for (var n = 2; Directory.Exists(PathOf(id)) || Directory.Exists(PathOf(id) + Partial); n++)
        {
            id = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        return (id, PathOf(id) + Partial);
    }

    /// <summary>Makes a finished backup's folder a complete backup.</summary>
    public void Complete(string id, BackupRecord record)
    {
        var partial = PathOf(id) + Partial;
        record.Write(Path.Combine(partial, BackupRecord.FileName));
        Directory.Move(partial, PathOf(id));
    }

    public void Delete(string id) => Directory.Delete(PathOf(id), recursive: true);
}
