using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// An archive of one period's partition of the audit chain: a self-contained gzip file of JSON lines, readable with
/// <c>zcat</c> and verifiable with nothing but public keys. The first line is this header; then
/// <see cref="Checkpoints"/> lines, the signed checkpoints (in id order, consecutive) that witnessed the rows; then every
/// row from <see cref="FromSeq"/> to <see cref="ToSeq"/>. <see cref="PreviousHash"/> is the hash of the row before
/// <see cref="FromSeq"/> (the previous archive's last row), so consecutive archives and the chain online re-link.
/// </summary>
public sealed record AuditArchive(
    string Format, string Partition, string Period, long FromSeq, long ToSeq, string PreviousHash, int Checkpoints)
{
    /// <summary>Rows may carry a trace id (schema 0027), which their hash covers.</summary>
    public const string CurrentFormat = "galaxy-audit-archive/2";

    /// <summary>Archives this build reads: those made before trace ids (whose rows have none) and the current.</summary>
    public static readonly IReadOnlyList<string> ReadableFormats = ["galaxy-audit-archive/1", CurrentFormat];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The file an archive of <paramref name="partition"/> is written to.</summary>
    public static string FileName(string partition) => $"{partition}.jsonl.gz";

    /// <summary>
    /// Writes the archive to a new file (never over an existing one) and flushes it to disk; returns how many rows it
    /// wrote and the last one's hash.
    /// </summary>
    public async Task<(long Rows, byte[] LastHash)> WriteAsync(
        string path, IReadOnlyList<AuditCheckpoint> checkpoints, IAsyncEnumerable<AuditRow> rows, CancellationToken cancellationToken)
    {
        long written = 0;
        byte[] lastHash = [];
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
            await using (var text = new StreamWriter(gzip, new UTF8Encoding(false)))
            {
                await text.WriteLineAsync(JsonSerializer.Serialize(this with { Checkpoints = checkpoints.Count }, Json));
                foreach (var checkpoint in checkpoints)
                {
                    await text.WriteLineAsync(JsonSerializer.Serialize(checkpoint, Json));
                }

                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    await text.WriteLineAsync(JsonSerializer.Serialize(row, Json));
                    lastHash = row.Hash;
                    written++;
                }
            }

            file.Flush(flushToDisk: true);
        }

        return (written, lastHash);
    }

    /// <summary>Opens an archive file: its header and checkpoints are read at once, its rows as they are enumerated.</summary>
    /// <exception cref="InvalidDataException">The file is not an audit archive this build reads.</exception>
    public static async Task<AuditArchiveReader> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var text = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8);
        try
        {
            var header = Parse<AuditArchive>(await text.ReadLineAsync(cancellationToken), "header");
            if (!ReadableFormats.Contains(header.Format))
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} is in format '{header.Format}', not one of {string.Join(", ", ReadableFormats)}.");
            }

            var checkpoints = new List<AuditCheckpoint>(header.Checkpoints);
            for (var i = 0; i < header.Checkpoints; i++)
            {
                checkpoints.Add(Parse<AuditCheckpoint>(await text.ReadLineAsync(cancellationToken), "checkpoint"));
            }

            return new AuditArchiveReader(header, checkpoints, text);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    internal static T Parse<T>(string? line, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line ?? throw new InvalidDataException($"The archive ends before its {what}."), Json)
                ?? throw new InvalidDataException($"The archive's {what} is empty.");
        }
        catch (JsonException malformed)
        {
            throw new InvalidDataException($"The archive's {what} is not valid: {malformed.Message}", malformed);
        }
    }
}
