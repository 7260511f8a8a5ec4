using System.IO.Compression;
using System.Text;
using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>
/// Reading an audit archive file: written once and never over another, read back whole, and a file that is not an
/// archive this build reads (another format, cut short, a malformed line) refused with what is wrong.
/// </summary>
public sealed class AuditArchiveFileTests : IDisposable
{
    private static readonly AuditArchive Header = new(AuditArchive.CurrentFormat, "galaxy_audit_2026_11", "2026-11", 1, 2, "", 1);

    private readonly string _folder = Directory.CreateTempSubdirectory("galaxy-audit-archive-").FullName;

    [Fact]
    public async Task An_archive_reads_back_as_written_and_is_never_written_over()
    {
        var path = Path.Combine(_folder, AuditArchive.FileName(Header.Partition));
        var checkpoint = CheckpointFiles.Unsigned(1, AuditCheckpoint.Kinds.Checkpoint, 1, 2);
        AuditRow[] rows = [Row(1, []), Row(2, [1, 2, 3])];

        var (written, lastHash) = await Header.WriteAsync(path, [checkpoint], Stream(rows), CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => Header.WriteAsync(path, [], Stream(), CancellationToken.None));

        Assert.Equal(2, written);
        Assert.Equal(rows[1].Hash, lastHash);
        using var archive = await AuditArchive.OpenAsync(path, CancellationToken.None);
        Assert.Equal(Header, archive.Header);
        Assert.Equal(checkpoint.SignedBytes(), Assert.Single(archive.Checkpoints).SignedBytes());
        var read = new List<AuditRow>();
        await foreach (var row in archive.ReadRowsAsync(CancellationToken.None))
        {
            read.Add(row);
        }

        Assert.Equal(rows.Select(row => (row.Seq, Convert.ToHexString(row.Hash))), read.Select(row => (row.Seq, Convert.ToHexString(row.Hash))));
    }

    [Fact]
    public async Task A_file_in_a_format_this_build_does_not_read_is_refused_naming_the_formats_it_does()
    {
        var path = await WriteLinesAsync("future.jsonl.gz", Json(Header with { Format = "galaxy-audit-archive/9" }));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => AuditArchive.OpenAsync(path, CancellationToken.None));

        Assert.Equal("future.jsonl.gz is in format 'galaxy-audit-archive/9', not one of galaxy-audit-archive/1, galaxy-audit-archive/2.", error.Message);
    }

    [Theory]
    [InlineData("", "The archive ends before its header.")]
    [InlineData("null", "The archive's header is empty.")]
    [InlineData("{\"format\": ", "The archive's header is not valid: ")]
    public async Task A_file_without_a_readable_header_is_refused(string firstLine, string message)
    {
        var path = await WriteLinesAsync("broken.jsonl.gz", firstLine.Length == 0 ? [] : [firstLine]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => AuditArchive.OpenAsync(path, CancellationToken.None));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_cut_short_in_its_checkpoints_is_refused()
    {
        var path = await WriteLinesAsync("short.jsonl.gz", Json(Header with { Checkpoints = 2 }), Json(CheckpointFiles.Unsigned(1, AuditCheckpoint.Kinds.Checkpoint, 1, 2)));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => AuditArchive.OpenAsync(path, CancellationToken.None));

        Assert.Equal("The archive ends before its checkpoint.", error.Message);
    }

    [Fact]
    public async Task A_malformed_row_is_refused_when_it_is_reached()
    {
        var path = await WriteLinesAsync("rows.jsonl.gz", Json(Header with { Checkpoints = 0 }), Json(Row(1, [])), "[1, 2");
        using var archive = await AuditArchive.OpenAsync(path, CancellationToken.None);
        var seen = new List<long>();

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var row in archive.ReadRowsAsync(CancellationToken.None))
            {
                seen.Add(row.Seq);
            }
        });

        Assert.Equal([1L], seen);
        Assert.StartsWith("The archive's row is not valid: ", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AuditRow Row(long seq, byte[] previousHash)
    {
        var row = new AuditRow(seq, CheckpointFiles.At.AddSeconds(seq), "alice", "predict", $"units/{seq}", 200, "digest", previousHash, []);
        return row with { Hash = AuditRowHash.Compute(previousHash, row) };
    }

    private static async IAsyncEnumerable<AuditRow> Stream(params AuditRow[] rows)
    {
        await Task.Yield();
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    private async Task<string> WriteLinesAsync(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        await using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        await gzip.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => line + "\n"))));
        return path;
    }
}
