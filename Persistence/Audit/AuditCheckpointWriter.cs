using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// Signs checkpoints of the audit chain and hands them to the witnesses, then keeps a copy in
/// <c>galaxy_audit_checkpoints</c> (schema 0009). Before it signs, it recomputes every row since the last checkpoint and
/// checks that they extend it: a chain rewritten below that checkpoint cannot be signed over. Checkpointers anywhere
/// (gateways, the operator's CLI) take turns under one advisory lock.
/// </summary>
public sealed class AuditCheckpointWriter(
    NpgsqlDataSource database, AuditSigningKey key, IReadOnlyList<IAuditWitness> witnesses, FolderWitness? folder, TimeProvider time)
{
    // An arbitrary constant shared by every Galaxy process that writes checkpoints.
    private const long LockKey = 0x6A1A_5C0E_0A0D;

    /// <summary>A checkpoint of every row appended since the last one; null when there are none.</summary>
    /// <exception cref="AuditChainBrokenException">The rows since the last checkpoint do not extend it; nothing was signed.</exception>
    public Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken) =>
        WriteAsync(AuditCheckpoint.Kinds.Checkpoint, null, async (connection, witnessing, head) =>
            head.Seq == witnessing.Seq ? null
                : await ExtendAsync(connection, witnessing, witnessing.Seq, Convert.FromHexString(witnessing.HeadHash), cancellationToken),
            cancellationToken);

    /// <summary>
    /// Records, signed, that the database was restored from a backup to its present head: witnessed rows after it are
    /// lost to the restore, not cut by someone. Refused unless everything the restored chain holds verifies.
    /// </summary>
    /// <exception cref="AuditChainBrokenException">The restored chain does not verify up to its head; nothing was signed.</exception>
    public Task<AuditCheckpoint?> RecordRestoreAsync(string label, AuditVerifier verifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        return WriteAsync(AuditCheckpoint.Kinds.Restore, label, async (connection, witnessing, head) =>
        {
            var report = await verifier.VerifyAsync(await WitnessedAsync(connection, cancellationToken), cancellationToken);
            if (report.Findings.Count > 0 || report.BrokenSeq is not null && !report.IsCut)
            {
                throw new AuditChainBrokenException(report.Reason ?? string.Join("; ", report.Findings));
            }

            // Rows up to the restored head that a checkpoint saw are held to it already; the restore covers the rest.
            var fromSeq = Math.Min(head.Seq, report.WitnessedThrough);
            return await ExtendAsync(connection, witnessing, fromSeq, await HashOfRowAsync(connection, fromSeq, cancellationToken), cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Records, signed, that rows up to <paramref name="lastSeq"/>, the last ending in <paramref name="lastHash"/>, were
    /// written to the archive <paramref name="label"/> names; <paramref name="drop"/> drops them in the same transaction,
    /// before the witnesses hear of it, so the event and the drop commit together and a witness that refuses the event
    /// leaves the rows in place.
    /// </summary>
    public Task<AuditCheckpoint?> RecordArchiveAsync(
        long lastSeq, byte[] lastHash, string label, Func<NpgsqlConnection, Task> drop, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        return WriteAsync(AuditCheckpoint.Kinds.Archive, label, async (connection, _, _) =>
        {
            await drop(connection);
            return new Extension(lastSeq + 1, lastSeq, lastHash, []);
        }, cancellationToken);
    }

    /// <summary>The checkpoints verification should hold the chain to: the witness folder's, else the database's copies.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> WitnessedAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        folder is not null ? folder.ReadAll(new List<string>()) : await StoredAsync(connection, cancellationToken);

    /// <summary>The copies in <c>galaxy_audit_checkpoints</c>, by id.</summary>
    public static async Task<IReadOnlyList<AuditCheckpoint>> StoredAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT document FROM galaxy_audit_checkpoints ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checkpoints = new List<AuditCheckpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(AuditCheckpoint.FromJson(reader.GetString(0)));
        }

        return checkpoints;
    }

    private async Task<AuditCheckpoint?> WriteAsync(
        string kind, string? label, Func<NpgsqlConnection, AuditCheckpoint, (long Seq, byte[] Hash), Task<Extension?>> extend,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var witnessed = await WitnessedAsync(connection, cancellationToken);
        var previous = witnessed.Count == 0 ? AuditCheckpoint.Genesis : witnessed[^1];
        // An archive event witnesses no rows: the next checkpoint goes on from the last one that did.
        var witnessing = witnessed.LastOrDefault(checkpoint => checkpoint.Kind != AuditCheckpoint.Kinds.Archive) ?? AuditCheckpoint.Genesis;
        var head = await AuditRows.ReadHeadAsync(connection, cancellationToken);
        if (await extend(connection, witnessing, head) is not { } extension)
        {
            return null;
        }

        var unsigned = new AuditCheckpoint(
            previous.Id + 1, kind, extension.FromSeq, extension.Seq, Convert.ToHexStringLower(extension.HeadHash),
            AuditRowHash.UnixMicroseconds(time.GetUtcNow()), previous.Digest(), Convert.ToBase64String(extension.Fingerprints), label, key.Id, "");
        var checkpoint = unsigned with { Signature = key.Sign(unsigned.SignedBytes()) };

        // The witnesses first: a checkpoint the database holds and no witness does would prove nothing.
        foreach (var witness in witnesses)
        {
            await witness.PublishAsync(checkpoint, cancellationToken);
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO galaxy_audit_checkpoints (id, kind, seq, head_hash, at, document) VALUES ($1, $2, $3, $4, $5, $6)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Kind });
            insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Seq });
            insert.Parameters.Add(new NpgsqlParameter { Value = extension.HeadHash });
            insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.At });
            insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.ToJson() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return checkpoint;
    }

    private static async Task<byte[]> HashOfRowAsync(NpgsqlConnection connection, long seq, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT hash FROM galaxy_audit WHERE seq = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = seq });
        return seq == 0 ? [] : (byte[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Recomputes the rows after <paramref name="fromSeq"/> up to the head, checking that each links to the one before,
    /// the first to <paramref name="fromHash"/> (row <paramref name="fromSeq"/>'s hash), and returns their fingerprints.
    /// </summary>
    private static async Task<Extension> ExtendAsync(
        NpgsqlConnection connection, AuditCheckpoint previous, long fromSeq, byte[] fromHash, CancellationToken cancellationToken)
    {
        var fingerprints = new MemoryStream();
        var previousHash = fromHash;
        var expected = fromSeq + 1;
        await foreach (var row in AuditRows.ReadAfterAsync(connection, fromSeq, cancellationToken))
        {
            if (row.Seq != expected)
            {
                throw new AuditChainBrokenException($"row {expected:N0} is missing (the next row is {row.Seq:N0})");
            }

            if (!row.PreviousHash.AsSpan().SequenceEqual(previousHash))
            {
                throw new AuditChainBrokenException(row.Seq == previous.Seq + 1
                    ? $"row {row.Seq:N0} does not extend {previous}: the chain was rewritten below it"
                    : $"row {row.Seq:N0} does not link to row {row.Seq - 1:N0}");
            }

            if (!row.Hash.AsSpan().SequenceEqual(AuditRowHash.Compute(row.PreviousHash, row)))
            {
                throw new AuditChainBrokenException($"row {row.Seq:N0} was altered: its content does not match its hash");
            }

            fingerprints.Write(row.Hash, 0, AuditRowHash.FingerprintBytes);
            previousHash = row.Hash;
            expected++;
        }

        return new Extension(fromSeq + 1, expected - 1, previousHash, fingerprints.ToArray());
    }

    private sealed record Extension(long FromSeq, long Seq, byte[] HeadHash, byte[] Fingerprints);
}

/// <summary>The chain does not verify where a checkpoint would cover it, so nothing was signed.</summary>
public sealed class AuditChainBrokenException(string reason) : Exception($"The audit chain does not verify: {reason}. No checkpoint was signed.");
