using Galaxy.Gateway.Audit;
using Galaxy.Persistence.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The chain in a database of its own, written by two audit logs at once as two gateways would, then tampered with
/// as a superuser can (trigger disabled): every edit, deletion or reordering is found at the row it touched.
/// </summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private const int Rows = 40;

    private readonly TestDatabase _database = new();
    private NpgsqlDataSource _source = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
        var gateways = new[] { new AuditLog(_source, NullLogger<AuditLog>.Instance), new AuditLog(_source, NullLogger<AuditLog>.Instance) };
        await Task.WhenAll(gateways.Select(gateway => gateway.StartAsync(CancellationToken.None)));
        await Task.WhenAll(Enumerable.Range(0, Rows).Select(i => gateways[i % 2].AppendAsync(
            new AuditEntry(DateTimeOffset.UtcNow, $"user{i % 3}", "unit.learn", $"/v1/units/{i}/learn", 200, $"digest{i}"), CancellationToken.None)));
        await Task.WhenAll(gateways.Select(gateway => gateway.StopAsync(CancellationToken.None)));
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_appends_from_two_gateways_form_one_intact_chain()
    {
        var verdict = await VerifyAsync();

        Assert.True(verdict.Intact, verdict.Reason);
        Assert.Equal(Rows, verdict.RowsChecked);
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
        await ExecuteAsync($"""
            ALTER TABLE galaxy_audit DISABLE TRIGGER USER;
            {tampering};
            ALTER TABLE galaxy_audit ENABLE TRIGGER USER;
            """);

        var verdict = await VerifyAsync();

        Assert.False(verdict.Intact);
        Assert.Equal(brokenRow, verdict.BrokenSeq);
        Assert.False(string.IsNullOrEmpty(verdict.Reason));
    }

    [Fact]
    public async Task Rewriting_a_rows_hash_to_match_its_content_still_breaks_the_next_link()
    {
        await ExecuteAsync("""
            ALTER TABLE galaxy_audit DISABLE TRIGGER USER;
            UPDATE galaxy_audit SET principal = 'mallory',
                hash = galaxy_audit_hash(prev_hash, seq, at, 'mallory', action, target, outcome, request_digest) WHERE seq = 17;
            ALTER TABLE galaxy_audit ENABLE TRIGGER USER;
            """);

        var verdict = await VerifyAsync();

        Assert.Equal(18L, verdict.BrokenSeq);
    }

    private Task<AuditVerification> VerifyAsync() => new AuditChain(_source).VerifyAsync(CancellationToken.None);

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
