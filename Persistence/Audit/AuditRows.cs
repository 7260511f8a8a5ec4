using System.Runtime.CompilerServices;
using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>Streams the audit chain's rows in order, straight from the table: no database function is trusted.</summary>
public static class AuditRows
{
    private const string Columns = "seq, at, principal, action, target, outcome, request_digest, prev_hash, hash, trace_id";

    public static IAsyncEnumerable<AuditRow> ReadAfterAsync(NpgsqlConnection connection, long afterSeq, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"SELECT {Columns} FROM galaxy_audit WHERE seq > $1 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = afterSeq });
        return ReadAsync(command, cancellationToken);
    }

    /// <summary>The rows of one period's partition (schema 0023), in order.</summary>
    public static IAsyncEnumerable<AuditRow> ReadPeriodAsync(NpgsqlConnection connection, DateOnly period, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"SELECT {Columns} FROM galaxy_audit WHERE period = $1 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = period });
        return ReadAsync(command, cancellationToken);
    }

    /// <summary>The head the database claims: <c>galaxy_audit_head</c>'s sequence number and hash.</summary>
    public static async Task<(long Seq, byte[] Hash)> ReadHeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT seq, hash FROM galaxy_audit_head", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, []);
    }

    private static async IAsyncEnumerable<AuditRow> ReadAsync(NpgsqlCommand command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new AuditRow(
                    reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt32(5), reader.GetString(6), reader.GetFieldValue<byte[]>(7), reader.GetFieldValue<byte[]>(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9));
            }
        }
    }
}
