using Galaxy.Persistence.Audit;
using Npgsql;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>
/// A row's hash computed here is byte for byte the one <c>galaxy_audit_hash</c> computes in the database, whatever the
/// row's text holds: quotes, backslashes, control characters, other scripts; with a trace id and without.
/// </summary>
public sealed class AuditRowHashTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("alice", null)]
    [InlineData("quote \" and backslash \\", null)]
    [InlineData("tab\t newline\n return\r backspace\b formfeed\f", "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("bell\u0007 escape\u001b unit separator\u001f delete\u007f", null)]
    [InlineData("ünïcødé ✓ 日本", "00f067aa0ba902b7")]
    public async Task The_hash_computed_here_is_the_databases_for_any_text(string principal, string? traceId)
    {
        var previous = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var row = new AuditRow(
            7, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), principal, "learn", $"units/{principal}", 403,
            "sha256:" + principal, previous, [], traceId);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT galaxy_audit_hash($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = previous }, new NpgsqlParameter { Value = row.Seq }, new NpgsqlParameter { Value = row.At },
                new NpgsqlParameter { Value = row.Principal }, new NpgsqlParameter { Value = row.Action }, new NpgsqlParameter { Value = row.Target },
                new NpgsqlParameter { Value = row.Outcome }, new NpgsqlParameter { Value = row.RequestDigest },
                new NpgsqlParameter { Value = (object?)traceId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            },
        };

        Assert.Equal(Convert.ToHexString((byte[])(await command.ExecuteScalarAsync())!), Convert.ToHexString(AuditRowHash.Compute(previous, row)));
    }
}
