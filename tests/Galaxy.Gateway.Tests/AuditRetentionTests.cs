using System.IO.Compression;
using System.Text.Json;
using Galaxy.Persistence;
using Galaxy.Persistence.Audit;
using Npgsql;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Retention (schema 0023): the chain kept in one partition per month, old months written to archive files with the
/// checkpoints that witnessed them and dropped. An archive verifies on its own and is found out at the first row someone
/// changed in it; the chain online verifies from the archived boundary and is still found out when rewritten or cut; a
/// month with rows no checkpoint witnessed is not archived; the migration of a chain written before 0023 keeps every row.
/// </summary>
public sealed class AuditRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset January = new(2025, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset February = new(2025, 2, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TestDatabase _database = new();
    private readonly string _witness = Directory.CreateTempSubdirectory("galaxy-witness-").FullName;
    private readonly string _archives = Directory.CreateTempSubdirectory("galaxy-archives-").FullName;
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"galaxy-audit-key-{Guid.NewGuid():N}.pem");
    private NpgsqlDataSource _source = null!;
    private AuditSigningKey _key = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionStringAs(DatabaseRoles.Owner));
        _key = AuditSigningKey.Load(_keyFile, create: true);
    }

    public async Task DisposeAsync()
    {
        _key.Dispose();
        File.Delete(_keyFile);
        Directory.Delete(_witness, recursive: true);
        Directory.Delete(_archives, recursive: true);
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Rows_are_kept_by_month_and_a_late_clock_does_not_put_a_row_back_into_a_month_already_left()
    {
        await AppendAsync(2, January);
        await AppendAsync(1, February);
        await AppendAsync(1, February.AddMonths(-1).AddDays(21));

        Assert.Equal(["galaxy_audit_2025_01", "galaxy_audit_2025_01", "galaxy_audit_2025_02", "galaxy_audit_2025_02"], await PartitionOfEachRowAsync());
    }

    [Fact]
    public async Task An_archived_month_verifies_on_its_own_and_the_chain_online_verifies_from_its_boundary()
    {
        await AppendAsync(10, January);
        await AppendAsync(10, February);
        await AppendAsync(5, DateTimeOffset.UtcNow);
        await CheckpointAsync();

        var january = Assert.Single(await ArchiveAsync(new DateOnly(2025, 2, 1)));
        var february = Assert.Single(await ArchiveAsync(new DateOnly(2025, 3, 1)));
        await AppendAsync(3, DateTimeOffset.UtcNow);
        await CheckpointAsync();

        Assert.Equal((1L, 10L, 11L, 20L), (january.FromSeq, january.ToSeq, february.FromSeq, february.ToSeq));
        Assert.Equal(AuditCheckpoint.Kinds.Archive, february.Event.Kind);
        foreach (var archived in new[] { january, february })
        {
            var archive = await VerifyArchiveAsync(archived.File);
            Assert.True(archive.Intact, archive.Reason);
            Assert.Equal(10, archive.RowsChecked);
        }

        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM galaxy_audit WHERE seq <= 20"));
        Assert.Equal(Convert.ToHexStringLower(LastHash(january.File)), await PreviousHashOfAsync(february.File));
        var online = await VerifyAsync();
        Assert.True(online.Intact, online.Reason);
        Assert.Equal(8, online.RowsChecked);
        Assert.Equal(28, online.WitnessedThrough);
        Assert.Equal([10L, 20L], online.Archives.Select(archive => archive.Seq));
    }

    [Theory]
    [InlineData(false, "altered")]
    [InlineData(true, "rewritten")]
    public async Task A_tampered_archive_is_found_at_its_first_broken_row(bool recomputeLaterHashes, string reason)
    {
        await AppendAsync(10, January);
        await AppendAsync(1, DateTimeOffset.UtcNow);
        await CheckpointAsync();
        var archived = Assert.Single(await ArchiveAsync(new DateOnly(2025, 2, 1)));

        RewriteArchive(archived.File, fromSeq: 4, "mallory", recomputeLaterHashes);

        var report = await VerifyArchiveAsync(archived.File);
        Assert.False(report.Intact);
        Assert.Equal(4L, report.BrokenSeq);
        Assert.Contains(reason, report.Reason, StringComparison.Ordinal);
        Assert.Equal(3, report.RowsChecked);
    }

    [Fact]
    public async Task A_month_with_rows_no_checkpoint_witnessed_is_not_archived()
    {
        await AppendAsync(5, January);
        await CheckpointAsync();
        await AppendAsync(5, January);
        await AppendAsync(1, DateTimeOffset.UtcNow);

        var refusal = await Assert.ThrowsAsync<AuditArchiveRefusedException>(() => ArchiveAsync(new DateOnly(2025, 2, 1)));

        Assert.Contains("rows 6 to 10 are not witnessed", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(10L, await _database.ScalarAsync<long>("SELECT count(*) FROM galaxy_audit_2025_01"));
        Assert.Empty(Directory.GetFiles(_archives));
        Assert.Single(Directory.GetFiles(_witness));
    }

    [Fact]
    public async Task The_month_still_appended_to_is_not_archived()
    {
        await AppendAsync(3, January);
        await CheckpointAsync();

        Assert.Empty(await ArchiveAsync(new DateOnly(2025, 6, 1)));
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM galaxy_audit"));
    }

    [Theory]
    [InlineData(11L)]
    [InlineData(14L)]
    public async Task After_an_archive_a_rewrite_of_the_chain_online_is_found_at_the_row_it_changed(long row)
    {
        await AppendAsync(10, January);
        await AppendAsync(5, DateTimeOffset.UtcNow);
        await CheckpointAsync();
        await ArchiveAsync(new DateOnly(2025, 2, 1));

        await TamperAsync(AuditTampering.RewriteFrom(row, "mallory"));

        var report = await VerifyAsync();
        Assert.Equal(row, report.BrokenSeq);
        Assert.Contains("rewritten", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_month_dropped_without_an_archive_is_a_cut_not_an_archive()
    {
        await AppendAsync(10, January);
        await AppendAsync(5, DateTimeOffset.UtcNow);
        await CheckpointAsync();

        await TamperAsync("ALTER TABLE galaxy_audit DETACH PARTITION galaxy_audit_2025_01; DROP TABLE galaxy_audit_2025_01");

        var report = await VerifyAsync();
        Assert.Equal(1L, report.BrokenSeq);
        Assert.Contains("row 1 is missing", report.Reason, StringComparison.Ordinal);
        Assert.Empty(report.Archives);
    }

    [Fact]
    public async Task A_disabled_trigger_on_a_partition_is_reported()
    {
        await AppendAsync(1, January);

        await ExecuteAsync(_database.ConnectionString, "ALTER TABLE galaxy_audit_2025_01 DISABLE TRIGGER galaxy_audit_no_truncate");

        Assert.Contains((await VerifyAsync()).Findings,
            finding => finding.Contains("galaxy_audit_no_truncate on galaxy_audit_2025_01 is disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_migration_keeps_every_row_of_a_chain_written_before_it_and_the_chain_verifies()
    {
        // The database as schema 0022 left it: 0006's table, not partitioned, and its append (none of 0027's), written
        // to by a build of that time.
        await ExecuteAsync(_database.ConnectionStringAs(DatabaseRoles.Owner), $"""
            DROP TABLE galaxy_audit;
            DROP FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text, text);
            DROP FUNCTION galaxy_audit_hash(bytea, bigint, timestamptz, text, text, text, integer, text, text);
            UPDATE galaxy_audit_head SET seq = 0, hash = '\x'::bytea, period = NULL;
            {Script(6)}
            """);
        await AppendBeforeTraceIdsAsync(6, January);
        await AppendBeforeTraceIdsAsync(6, February);
        await AppendBeforeTraceIdsAsync(1, January.AddDays(21));

        await ExecuteAsync(_database.ConnectionStringAs(DatabaseRoles.Owner), Script(23) + ";\n" + Script(27));
        // This build's checkpoint writer reads trace ids, so it signs once 0027 has run: over the rows the old build wrote.
        await CheckpointAsync();
        await AppendAsync(2, DateTimeOffset.UtcNow);

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Reason + string.Join("; ", report.Findings));
        Assert.Equal(15, report.RowsChecked);
        Assert.Equal(13, report.WitnessedThrough);
        var partitions = await PartitionOfEachRowAsync();
        Assert.Equal(6, partitions.Count(partition => partition == "galaxy_audit_2025_01"));
        Assert.Equal(7, partitions.Count(partition => partition == "galaxy_audit_2025_02"));
    }

    private static string Script(int version) => SchemaMigrator.Scripts.Single(script => script.Version == version).Sql;

    private AuditCheckpointWriter Writer()
    {
        var folder = new FolderWitness(_witness);
        return new AuditCheckpointWriter(_source, _key, [folder], folder, TimeProvider.System);
    }

    private Dictionary<string, AuditVerificationKey> TrustedKeys() => new() { [_key.Id] = _key.VerificationKey() };

    private Task CheckpointAsync() => Writer().CheckpointAsync(CancellationToken.None);

    private Task<IReadOnlyList<ArchivedPartition>> ArchiveAsync(DateOnly before) =>
        new AuditArchiver(_source, Writer(), TrustedKeys()).ArchiveAsync(before, _archives, CancellationToken.None);

    private Task<AuditReport> VerifyAsync() =>
        new AuditVerifier(_source, TrustedKeys()).VerifyAsync(new FolderWitness(_witness).ReadAll([]), CancellationToken.None);

    private Task<AuditReport> VerifyArchiveAsync(string file) => AuditArchiveVerifier.VerifyAsync(file, TrustedKeys(), CancellationToken.None);

    private async Task AppendAsync(int rows, DateTimeOffset at)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < rows; i++)
        {
            await AuditAppend.AppendAsync(
                connection, transaction, new AuditEntry(at.AddSeconds(i), $"user{i % 3}", "unit.learn", $"/v1/units/{i}/learn", 200, $"digest{i}"),
                CancellationToken.None);
        }

        await transaction.CommitAsync();
    }

    /// <summary>Appends as a build before schema 0027 did: six arguments, no trace id.</summary>
    private async Task AppendBeforeTraceIdsAsync(int rows, DateTimeOffset at)
    {
        await using var connection = await _source.OpenConnectionAsync();
        for (var i = 0; i < rows; i++)
        {
            await using var append = new NpgsqlCommand("SELECT galaxy_audit_append($1, $2, $3, $4, $5, $6)", connection);
            foreach (var value in new object[] { at.AddSeconds(i), $"user{i % 3}", "unit.learn", $"/v1/units/{i}/learn", 200, $"digest{i}" })
            {
                append.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await append.ExecuteNonQueryAsync();
        }
    }

    private async Task<List<string>> PartitionOfEachRowAsync() =>
        [.. (await _database.ScalarAsync<string[]>("SELECT array_agg(tableoid::regclass::text ORDER BY seq) FROM galaxy_audit"))!];

    /// <summary>As someone holding the database: as its superuser, triggers off.</summary>
    private Task TamperAsync(string sql) => ExecuteAsync(_database.ConnectionString, $"""
        ALTER TABLE galaxy_audit DISABLE TRIGGER USER;
        {sql};
        ALTER TABLE galaxy_audit ENABLE TRIGGER USER;
        """);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Row <paramref name="fromSeq"/>'s principal changed in the archive file; with <paramref name="recompute"/>, every later hash and link made to fit.</summary>
    private static void RewriteArchive(string file, long fromSeq, string principal, bool recompute)
    {
        var lines = ReadLines(file);
        var header = JsonSerializer.Deserialize<AuditArchive>(lines[0], Json)!;
        byte[]? previous = null;
        for (var i = 1 + header.Checkpoints; i < lines.Count; i++)
        {
            var row = JsonSerializer.Deserialize<AuditRow>(lines[i], Json)!;
            if (row.Seq < fromSeq)
            {
                continue;
            }

            row = row.Seq == fromSeq ? row with { Principal = principal } : row;
            if (recompute)
            {
                row = row with { PreviousHash = previous ?? row.PreviousHash };
                row = row with { Hash = AuditRowHash.Compute(row.PreviousHash, row) };
            }

            previous = row.Hash;
            lines[i] = JsonSerializer.Serialize(row, Json);
        }

        using var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest);
        using var text = new StreamWriter(gzip);
        foreach (var line in lines)
        {
            text.WriteLine(line);
        }
    }

    private static List<string> ReadLines(string file)
    {
        using var text = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
        var lines = new List<string>();
        while (text.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static byte[] LastHash(string file) => JsonSerializer.Deserialize<AuditRow>(ReadLines(file)[^1], Json)!.Hash;

    private static async Task<string> PreviousHashOfAsync(string file)
    {
        using var archive = await AuditArchive.OpenAsync(file, CancellationToken.None);
        return archive.Header.PreviousHash;
    }
}
