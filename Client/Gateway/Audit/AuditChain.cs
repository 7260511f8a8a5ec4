using Npgsql;

namespace Galaxy.Gateway.Audit;

/// <summary>Reads the audit chain: its rows, and the verdict of <c>galaxy_audit_verify()</c> (schema 0006).</summary>
public sealed class AuditChain(NpgsqlDataSource database)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT rows_checked, broken_seq, reason FROM galaxy_audit_verify()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var broken = reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1);
        return new AuditVerification(broken is null, reader.GetInt64(0), broken, reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT seq, at, principal, action, target, outcome, request_digest, encode(hash, 'hex') " +
            "FROM galaxy_audit WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = afterSeq });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetString(6), reader.GetString(7)));
        }

        return records;
    }
}

/// <summary>The chain's verdict: intact, or the first broken row and why.</summary>
public sealed record AuditVerification(bool Intact, long RowsChecked, long? BrokenSeq, string? Reason);

public sealed record AuditRecord(long Seq, DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest, string Hash);
