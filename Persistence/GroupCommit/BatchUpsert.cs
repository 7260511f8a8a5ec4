using Npgsql;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// Commits a batch of grain-state writes in one transaction and one round trip. Each write applies only under the stock
/// provider's optimistic check (<c>galaxy_storage_write</c>): an update only of a row still at the expected version, an
/// insert only where no row exists. A write that fails its check leaves its row untouched and holds back no other.
/// </summary>
internal sealed class BatchUpsert(NpgsqlDataSource dataSource, string serviceId)
{
    // Writes that expect a version. Returns the 1-based positions, in the arrays, of the rows it updated.
    private const string UpdateSql = """
        UPDATE OrleansStorage AS s
        SET PayloadBinary = w.PayloadBinary, ModifiedOn = now(), Version = s.Version + 1
        FROM unnest($2::varchar[], $3::bigint[], $4::bigint[], $5::varchar[], $6::integer[], $7::bytea[]) WITH ORDINALITY
            AS w(GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, ExpectedVersion, PayloadBinary, Position)
        WHERE s.ServiceId = $1 AND s.GrainTypeString = w.GrainTypeString
          AND s.GrainIdN0 = w.GrainIdN0 AND s.GrainIdN1 = w.GrainIdN1
          AND COALESCE(s.GrainIdExtensionString, '') = COALESCE(w.GrainIdExtensionString, '')
          AND s.Version = w.ExpectedVersion
        RETURNING w.Position
        """;

    // First writes. Returns the keys of the rows it inserted (an INSERT can return only the table's columns).
    private const string InsertSql = """
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
             PayloadBinary, ModifiedOn, Version)
        SELECT w.GrainIdHash, w.GrainIdN0, w.GrainIdN1, w.GrainTypeHash, w.GrainTypeString, w.GrainIdExtensionString, $1,
               w.PayloadBinary, now(), 1
        FROM unnest($2::varchar[], $3::bigint[], $4::bigint[], $5::varchar[], $6::integer[], $7::integer[], $8::bytea[])
            AS w(GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, GrainIdHash, GrainTypeHash, PayloadBinary)
        ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (COALESCE(GrainIdExtensionString, ''))) DO NOTHING
        RETURNING GrainTypeString, GrainIdN0, GrainIdN1, COALESCE(GrainIdExtensionString, '')
        """;

    /// <summary>
    /// Runs the batch (at most one write per row, sorted by row key so that concurrent batches lock rows in one order)
    /// and commits it; returns, per write, whether it applied. Throws, with nothing committed, when a statement or the
    /// commit fails.
    /// </summary>
    public async Task<bool[]> CommitAsync(IReadOnlyList<PendingWrite> batch, CancellationToken cancellationToken)
    {
        var updates = new List<int>(batch.Count);
        var inserts = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            (batch[i].ExpectedVersion is null ? inserts : updates).Add(i);
        }

        await using var statements = dataSource.CreateBatch();
        if (updates.Count > 0)
        {
            statements.BatchCommands.Add(UpdateCommand(batch, updates));
        }

        if (inserts.Count > 0)
        {
            statements.BatchCommands.Add(InsertCommand(batch, inserts));
        }

        // The statements form one implicit transaction, which PostgreSQL commits as the batch ends. Moving past the last
        // result waits for that end and throws if the commit failed: nothing is acknowledged before it is durable.
        var applied = new bool[batch.Count];
        await using var reader = await statements.ExecuteReaderAsync(cancellationToken);
        if (updates.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[updates[(int)reader.GetInt64(0) - 1]] = true;
            }

            await reader.NextResultAsync(cancellationToken);
        }

        if (inserts.Count > 0)
        {
            var positions = inserts.ToDictionary(i => RowIdentity(batch[i].Key));
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[positions[(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3))]] = true;
            }

            await reader.NextResultAsync(cancellationToken);
        }

        return applied;
    }

    private NpgsqlBatchCommand UpdateCommand(IReadOnlyList<PendingWrite> batch, List<int> updates)
    {
        var expectedVersions = new int[updates.Count];
        var payloads = new byte[]?[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var write = batch[updates[i]];
            expectedVersions[i] = write.ExpectedVersion.GetValueOrDefault();
            payloads[i] = write.Payload;
        }

        var command = new NpgsqlBatchCommand(UpdateSql);
        AddKeyParameters(command, batch, updates);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = expectedVersions });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = payloads });
        return command;
    }

    private NpgsqlBatchCommand InsertCommand(IReadOnlyList<PendingWrite> batch, List<int> inserts)
    {
        var grainIdHashes = new int[inserts.Count];
        var grainTypeHashes = new int[inserts.Count];
        var payloads = new byte[]?[inserts.Count];
        for (var i = 0; i < inserts.Count; i++)
        {
            var write = batch[inserts[i]];
            (grainIdHashes[i], grainTypeHashes[i], payloads[i]) = (write.Key.GrainIdHash, write.Key.GrainTypeHash, write.Payload);
        }

        var command = new NpgsqlBatchCommand(InsertSql);
        AddKeyParameters(command, batch, inserts);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = grainIdHashes });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = grainTypeHashes });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = payloads });
        return command;
    }

    /// <summary>$1 the service id; $2–$5 the rows' grain type, N0, N1 and extension.</summary>
    private void AddKeyParameters(NpgsqlBatchCommand command, IReadOnlyList<PendingWrite> batch, List<int> rows)
    {
        var grainTypes = new string[rows.Count];
        var n0 = new long[rows.Count];
        var n1 = new long[rows.Count];
        var extensions = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var key = batch[rows[i]].Key;
            (grainTypes[i], n0[i], n1[i], extensions[i]) = (key.GrainType, key.N0, key.N1, key.Extension);
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = grainTypes });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = n0 });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = n1 });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = extensions });
    }

    private static (string, long, long, string) RowIdentity(StorageRowKey key) => (key.GrainType, key.N0, key.N1, key.Extension ?? "");
}
