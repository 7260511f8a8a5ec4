using Galaxy.Gateway.Audit;
using Galaxy.Persistence.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The chain in a database of its own, written by two audit logs at once as two gateways would, witnessed by a signed
/// checkpoint in a folder, then tampered with as someone holding the database can: triggers disabled, rows edited,
/// deleted, swapped, every later hash recomputed with the schema's own function, functions replaced. The application's
/// verification finds each at the first row it touched and names the checkpoint it broke.
/// </summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private const int Rows = 40;

    private readonly TestDatabase _database = new();
    private readonly string _witness = Directory.CreateTempSubdirectory("galaxy-witness-").FullName;
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"galaxy-audit-key-{Guid.NewGuid():N}.pem");
    private NpgsqlDataSource _source = null!;
    private AuditSigningKey _key = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
        _key = AuditSigningKey.Load(_keyFile, create: true);
        await AppendAsync(Rows, "unit.learn");
    }

    public async Task DisposeAsync()
    {
        _key.Dispose();
        File.Delete(_keyFile);
        Directory.Delete(_witness, recursive: true);
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_appends_from_two_gateways_form_one_intact_chain()
    {
        await CheckpointAsync();

        var report = await VerifyAsync();

        Assert.True(report.Intact, report.Reason);
        Assert.Equal(Rows, report.RowsChecked);
        Assert.Equal(Rows, report.WitnessedThrough);
        Assert.Equal(0, report.UnwitnessedRows);
        Assert.Equal(1, report.LastCheckpoint!.Id);
    }

    [Fact]
    public async Task The_application_computes_the_same_hash_as_the_schema_whatever_the_text_holds()
    {
        await AppendAsync(1, "quote\" backslash\\ newline\n tab\t bell\u0007 é€😀 </script>");
        await using var connection = await _source.OpenConnectionAsync();
        await foreach (var row in Persistence.Audit.AuditRows.ReadAfterAsync(connection, 0, CancellationToken.None))
        {
            Assert.Equal(Convert.ToHexStringLower(row.Hash), Convert.ToHexStringLower(AuditRowHash.Compute(row.PreviousHash, row)));
        }
    }

    [Fact]
    public async Task A_rows_trace_id_is_hashed_alike_by_the_application_and_the_schema_and_a_changed_one_breaks_the_chain()
    {
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var log = new AuditLog(_source, NullLogger<AuditLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        await log.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, "user0", "unit.reset", "/v1/units/1/reset", 200, "digest") { TraceId = trace }, CancellationToken.None);
        await log.StopAsync(CancellationToken.None);
        await CheckpointAsync();

        await using (var connection = await _source.OpenConnectionAsync())
        {
            var rows = new List<AuditRow>();
            await foreach (var row in Persistence.Audit.AuditRows.ReadAfterAsync(connection, 0, CancellationToken.None))
            {
                rows.Add(row);
            }

            Assert.Equal(Enumerable.Repeat<string?>(null, Rows).Append(trace), rows.Select(row => row.TraceId));
            Assert.All(rows, row => Assert.Equal(Convert.ToHexStringLower(row.Hash), Convert.ToHexStringLower(AuditRowHash.Compute(row.PreviousHash, row))));
        }

        Assert.True((await VerifyAsync()).Intact);
        Assert.True((await DatabaseVerdictAsync()).Intact);

        await TamperAsync($"UPDATE galaxy_audit SET trace_id = '00000000000000000000000000000001' WHERE seq = {Rows + 1}");

        var report = await VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal((long?)(Rows + 1), report.BrokenSeq);
        Assert.Equal((false, (long?)(Rows + 1)), await DatabaseVerdictAsync());
    }

    [Theory]
    [InlineData("UPDATE galaxy_audit SET principal = 'someone else' WHERE seq = 17")]
    [InlineData("DELETE FROM galaxy_audit WHERE seq = 17")]
    [InlineData("TRUNCATE galaxy_audit")]
    public async Task The_database_refuses_to_change_audit_rows(string sql)
    {
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Contains("append-only", refusal.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE galaxy_audit SET outcome = 403 WHERE seq = 17", 17L)]
    [InlineData("UPDATE galaxy_audit SET at = at + interval '1 second' WHERE seq = 17", 17L)]
    [InlineData("DELETE FROM galaxy_audit WHERE seq = 17", 17L)]
    [InlineData("DELETE FROM galaxy_audit WHERE seq = 1", 1L)]
    [InlineData("DELETE FROM galaxy_audit WHERE seq = 40", 40L)]
    [InlineData("UPDATE galaxy_audit SET seq = -1 WHERE seq = 17; UPDATE galaxy_audit SET seq = 17 WHERE seq = 18; UPDATE galaxy_audit SET seq = 18 WHERE seq = -1", 17L)]
    [InlineData("""
        UPDATE galaxy_audit a SET principal = b.principal, target = b.target, request_digest = b.request_digest
        FROM galaxy_audit b WHERE (a.seq, b.seq) IN ((17, 18), (18, 17))
        """, 17L)]
    public async Task Tampering_is_found_at_the_first_row_it_touched(string tampering, long brokenRow)
    {
        await CheckpointAsync();

        await TamperAsync(tampering);

        var report = await VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(brokenRow, report.BrokenSeq);
        Assert.False(string.IsNullOrEmpty(report.Reason));
        Assert.Equal(1, report.BrokenCheckpoint?.Id);
    }

    [Theory]
    [InlineData(17L)]
    [InlineData(1L)]
    [InlineData(40L)]
    public async Task A_rewrite_that_recomputes_every_later_hash_and_moves_the_head_is_found_at_the_row_it_changed(long row)
    {
        await CheckpointAsync();

        await RewriteFromAsync(row, "mallory");

        Assert.True((await DatabaseVerdictAsync()).Intact, "the schema's own verify is fooled, as the issue says");
        var report = await VerifyAsync();
        Assert.Equal(row, report.BrokenSeq);
        Assert.Contains("rewritten", report.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.BrokenCheckpoint?.Id);
    }

    [Fact]
    public async Task A_rewrite_of_rows_not_yet_witnessed_cannot_be_told_but_they_are_reported_as_unwitnessed()
    {
        await CheckpointAsync();
        await AppendAsync(5, "unit.reset");

        await RewriteFromAsync(Rows + 2, "mallory");

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Reason);
        Assert.Equal(Rows, report.WitnessedThrough);
        Assert.Equal(5, report.UnwitnessedRows);
    }

    [Fact]
    public async Task A_checkpoint_is_not_signed_over_a_chain_rewritten_below_the_last_one()
    {
        await CheckpointAsync();
        await RewriteFromAsync(10, "mallory");
        await AppendAsync(1, "unit.reset");

        await Assert.ThrowsAsync<AuditChainBrokenException>(CheckpointAsync);
        Assert.Single(Directory.GetFiles(_witness));
    }

    [Fact]
    public async Task A_cut_of_witnessed_rows_is_found_even_when_the_head_is_moved_back()
    {
        await CheckpointAsync();

        await CutAfterAsync(34);

        var report = await VerifyAsync();
        Assert.Equal(35L, report.BrokenSeq);
        Assert.True(report.IsCut);
        Assert.Equal(1, report.BrokenCheckpoint?.Id);
    }

    [Fact]
    public async Task A_restore_recorded_as_a_signed_event_is_told_apart_from_a_cut_and_the_chain_goes_on()
    {
        await CheckpointAsync();
        await CutAfterAsync(30);

        var restore = await Writer().RecordRestoreAsync("backup of 11:00", Verifier(), CancellationToken.None);
        await AppendAsync(4, "unit.learn");
        await CheckpointAsync();

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Reason);
        Assert.Equal(AuditCheckpoint.Kinds.Restore, restore!.Kind);
        Assert.Equal(30, Assert.Single(report.Restores).Seq);
        Assert.Equal(34, report.WitnessedThrough);
    }

    [Fact]
    public async Task A_restore_cannot_launder_a_rewrite()
    {
        await CheckpointAsync();
        await CutAfterAsync(30);
        await RewriteFromAsync(20, "mallory");

        await Assert.ThrowsAsync<AuditChainBrokenException>(() => Writer().RecordRestoreAsync("backup", Verifier(), CancellationToken.None));
    }

    [Fact]
    public async Task A_replaced_verify_function_is_named_and_does_not_hide_the_tampering()
    {
        await CheckpointAsync();
        await TamperAsync("""
            UPDATE galaxy_audit SET outcome = 201 WHERE seq = 23;
            CREATE OR REPLACE FUNCTION galaxy_audit_verify()
                RETURNS TABLE (rows_checked bigint, broken_seq bigint, reason text) LANGUAGE sql STABLE AS
            $$ SELECT count(*), NULL::bigint, NULL::text FROM galaxy_audit $$;
            """);

        var report = await VerifyAsync();

        Assert.True((await DatabaseVerdictAsync()).Intact);
        Assert.Contains(report.Findings, finding => finding.Contains("galaxy_audit_verify was replaced", StringComparison.Ordinal));
        Assert.Equal(23L, report.BrokenSeq);
    }

    [Fact]
    public async Task A_disabled_trigger_left_behind_is_reported()
    {
        await ExecuteAsync("ALTER TABLE galaxy_audit DISABLE TRIGGER galaxy_audit_append_only");

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains(report.Findings, finding => finding.Contains("galaxy_audit_append_only on galaxy_audit is disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_checkpoint_removed_from_the_witness_or_forged_is_reported()
    {
        await CheckpointAsync();
        await AppendAsync(3, "unit.learn");
        await CheckpointAsync();
        var first = Path.Combine(_witness, FolderWitness.FileName(1));
        var original = await File.ReadAllTextAsync(first);

        File.Delete(first);
        Assert.Contains(await FindingsAsync(), finding => finding.Contains("checkpoint #1 is missing", StringComparison.Ordinal));

        var forged = AuditCheckpoint.FromJson(original) with { Seq = 39 };
        await File.WriteAllTextAsync(first, forged.ToJson());
        Assert.Contains(await FindingsAsync(), finding => finding.Contains("invalid signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_witness_receives_every_checkpoint_and_one_it_refuses_is_not_kept()
    {
        var received = new List<AuditCheckpoint>();
        var answer = System.Net.HttpStatusCode.OK;
        using var http = new HttpClient(new WitnessEndpoint(body => received.Add(AuditCheckpoint.FromJson(body)), () => answer));
        var writer = new AuditCheckpointWriter(
            _source, _key, [new WebhookWitness(http, new Uri("https://witness.invalid/checkpoints"))], null, TimeProvider.System);

        var first = await writer.CheckpointAsync(CancellationToken.None);
        await AppendAsync(2, "unit.learn");
        answer = System.Net.HttpStatusCode.ServiceUnavailable;
        await Assert.ThrowsAsync<HttpRequestException>(() => writer.CheckpointAsync(CancellationToken.None));

        Assert.Equal(first!.Signature, received[0].Signature);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM galaxy_audit_checkpoints"));
    }

    private async Task<IReadOnlyList<string>> FindingsAsync() => (await VerifyAsync()).Findings;

    private AuditCheckpointWriter Writer()
    {
        var folder = new FolderWitness(_witness);
        return new AuditCheckpointWriter(_source, _key, [folder], folder, TimeProvider.System);
    }

    private AuditVerifier Verifier() =>
        new(_source, new Dictionary<string, AuditVerificationKey> { [_key.Id] = _key.VerificationKey() });

    private Task CheckpointAsync() => Writer().CheckpointAsync(CancellationToken.None);

    private Task<AuditReport> VerifyAsync() => Verifier().VerifyAsync(new FolderWitness(_witness).ReadAll([]), CancellationToken.None);

    private async Task AppendAsync(int rows, string action)
    {
        var gateways = new[] { new AuditLog(_source, NullLogger<AuditLog>.Instance), new AuditLog(_source, NullLogger<AuditLog>.Instance) };
        await Task.WhenAll(gateways.Select(gateway => gateway.StartAsync(CancellationToken.None)));
        await Task.WhenAll(Enumerable.Range(0, rows).Select(i => gateways[i % 2].AppendAsync(
            new AuditEntry(DateTimeOffset.UtcNow, $"user{i % 3}", action, $"/v1/units/{i}/learn", 200, $"digest{i}"), CancellationToken.None)));
        await Task.WhenAll(gateways.Select(gateway => gateway.StopAsync(CancellationToken.None)));
    }

    private Task RewriteFromAsync(long seq, string principal) => TamperAsync(AuditTampering.RewriteFrom(seq, principal));

    /// <summary>Rows after <paramref name="seq"/> deleted and the head moved back to it: a cut, or what a restore looks like.</summary>
    private Task CutAfterAsync(long seq) => TamperAsync($"""
        DELETE FROM galaxy_audit WHERE seq > {seq};
        UPDATE galaxy_audit_head SET seq = {seq}, hash = (SELECT hash FROM galaxy_audit WHERE seq = {seq});
        """);

    private Task TamperAsync(string sql) => ExecuteAsync($"""
        ALTER TABLE galaxy_audit DISABLE TRIGGER USER;
        {sql};
        ALTER TABLE galaxy_audit ENABLE TRIGGER USER;
        """);

    private async Task<(bool Intact, long? BrokenSeq)> DatabaseVerdictAsync()
    {
        await using var command = _source.CreateCommand("SELECT broken_seq FROM galaxy_audit_verify()");
        var broken = await command.ExecuteScalarAsync();
        return (broken is null or DBNull, broken as long?);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A witness's HTTP endpoint: hands each body it receives to the test and answers with the status it is given.</summary>
    private sealed class WitnessEndpoint(Action<string> receive, Func<System.Net.HttpStatusCode> answer) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            receive(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(answer());
        }
    }
}
