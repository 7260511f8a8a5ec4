using Npgsql;

namespace Galaxy.Persistence.Tests;

/// <summary>An <c>OrleansStorage</c> row as stored, read with plain SQL.</summary>
internal sealed record StoredRow(
    int GrainIdHash, long GrainIdN0, long GrainIdN1, int GrainTypeHash, string GrainTypeString,
    string? GrainIdExtensionString, string ServiceId, byte[]? PayloadBinary, int? Version, string TransactionId)
{
    public static async Task<List<StoredRow>> ReadAsync(TestDatabase database, string stateName)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
                   PayloadBinary, Version, xmin::text
            FROM OrleansStorage WHERE GrainTypeString = $1 ORDER BY GrainIdN1, GrainIdN0
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredRow(
                reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.GetString(9)));
        }

        return rows;
    }
}
