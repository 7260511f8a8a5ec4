using Galaxy.Persistence.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace Galaxy.Persistence.Bulk;

/// <summary>
/// Writes many grains' first state rows at once, past the grains, for seeding a galaxy: one COPY into a staging table
/// and one insert of the rows that do not exist yet, in one transaction. Existing rows are never touched, so a load
/// can be repeated or resumed after an interruption. Rows are keyed exactly as the storage providers key them.
/// </summary>
public sealed class StateRowLoader(NpgsqlDataSource database, string serviceId)
{
    private static readonly GrainType SeedType = GrainType.Create("seed");

    /// <summary>Inserts the rows of integer-keyed grains that have none yet (version 1); returns how many it inserted.</summary>
    public async Task<int> InsertMissingAsync(
        string stateName, IReadOnlyList<(long Key, byte[] Payload)> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            """
            CREATE TEMP TABLE galaxy_seed_rows
                (GrainIdHash integer, GrainIdN0 bigint, GrainIdN1 bigint, GrainTypeHash integer, PayloadBinary bytea)
                ON COMMIT DROP
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY galaxy_seed_rows FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (key, payload) in rows)
            {
                var rowKey = StorageRowKey.For(stateName, GrainId.Create(SeedType, GrainIdKeyExtensions.CreateIntegerKey(key)));
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(rowKey.GrainIdHash, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(rowKey.N0, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(rowKey.N1, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(rowKey.GrainTypeHash, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(payload, NpgsqlDbType.Bytea, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO OrleansStorage
                (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
                 PayloadBinary, ModifiedOn, Version)
            SELECT GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, $1, NULL, $2, PayloadBinary, now(), 1
            FROM galaxy_seed_rows
            ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (COALESCE(GrainIdExtensionString, ''))) DO NOTHING
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = stateName });
        insert.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>How many integer-keyed grains in <c>firstKey … lastKey</c> have a row for <paramref name="stateName"/>.</summary>
    public async Task<long> CountAsync(string stateName, long firstKey, long lastKey, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            SELECT count(*) FROM OrleansStorage
            WHERE ServiceId = $1 AND GrainTypeString = $2 AND GrainIdN0 = 0 AND GrainIdN1 BETWEEN $3 AND $4
              AND GrainIdExtensionString IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = firstKey });
        command.Parameters.Add(new NpgsqlParameter { Value = lastKey });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
