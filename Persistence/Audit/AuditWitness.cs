using System.Net.Http.Json;
using System.Text;

namespace Galaxy.Persistence.Audit;

/// <summary>Somewhere outside the database that keeps every checkpoint: what an attacker with the database cannot rewrite.</summary>
public interface IAuditWitness
{
    Task PublishAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken);
}

/// <summary>
/// A folder of checkpoint files, <c>0000000042.json</c>, each written once and never overwritten. Mount it from
/// storage the database's administrators cannot write (another host, a WORM bucket); verification reads it back.
/// </summary>
public sealed class FolderWitness(string directory) : IAuditWitness
{
    public string Directory { get; } = directory;

    public async Task PublishAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, FileName(checkpoint.Id));
        // CreateNew: a checkpoint's file is never replaced, whoever asks.
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await file.WriteAsync(Encoding.UTF8.GetBytes(checkpoint.ToJson()), cancellationToken);
        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Every checkpoint in the folder, by id; files that are not checkpoints are reported, not skipped silently.</summary>
    public IReadOnlyList<AuditCheckpoint> ReadAll(ICollection<string> problems)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var checkpoints = new List<AuditCheckpoint>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                checkpoints.Add(AuditCheckpoint.FromJson(File.ReadAllText(path)));
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or FormatException)
            {
                problems.Add($"witness file {Path.GetFileName(path)} is not a checkpoint: {exception.Message}");
            }
        }

        return checkpoints.OrderBy(checkpoint => checkpoint.Id).ToList();
    }

    public static string FileName(long id) => $"{id:D10}.json";
}

/// <summary>POSTs every checkpoint to a URL (a transparency log, a store at another site) and requires a 2xx answer.</summary>
public sealed class WebhookWitness(HttpClient http, Uri url) : IAuditWitness
{
    public async Task PublishAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(url, checkpoint, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
