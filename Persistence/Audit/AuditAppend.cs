using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// Appends rows to the hash-chained <c>galaxy_audit</c> table (schema 0006) through <c>galaxy_audit_append</c>, inside
/// the caller's transaction, so a row commits with what it records or not at all. An append locks the chain's head until
/// that transaction ends: append after the change it records, just before the commit, to hold the lock briefly.
/// </summary>
public static class AuditAppend
{
    private const string Sql = "SELECT galaxy_audit_append($1, $2, $3, $4, $5, $6, $7)";

    /// <summary>One append, for a batch that appends several rows in one round trip.</summary>
    public static NpgsqlBatchCommand Command(AuditEntry entry)
    {
        var append = new NpgsqlBatchCommand(Sql);
        AddParameters(append.Parameters, entry);
        return append;
    }

    public static async Task AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var append = new NpgsqlCommand(Sql, connection, transaction);
        AddParameters(append.Parameters, entry);
        await append.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, AuditEntry entry)
    {
        parameters.Add(new NpgsqlParameter { Value = entry.At });
        parameters.Add(new NpgsqlParameter { Value = entry.Principal });
        parameters.Add(new NpgsqlParameter { Value = entry.Action });
        parameters.Add(new NpgsqlParameter { Value = entry.Target });
        parameters.Add(new NpgsqlParameter { Value = entry.Outcome });
        parameters.Add(new NpgsqlParameter { Value = entry.RequestDigest });
        parameters.Add(new NpgsqlParameter { Value = (object?)entry.TraceId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }
}
