using Galaxy.Persistence.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Galaxy.Gateway.Audit;

/// <summary>
/// Reads the audit chain: its rows and checkpoints, and the application's verdict on it (<see cref="AuditVerifier"/>),
/// held to the witness folder's checkpoints where this gateway has one, else to the database's signed copies.
/// </summary>
public sealed class AuditChain
{
    private readonly NpgsqlDataSource _database;
    private readonly AuditCheckpoints _checkpoints;
    private readonly AuditVerifier _verifier;

    public AuditChain(NpgsqlDataSource database, AuditCheckpoints checkpoints, IOptions<AuditOptions> options)
    {
        _database = database;
        _checkpoints = checkpoints;
        _verifier = new AuditVerifier(database, options.Value.LoadTrustedKeys());
    }

    public async Task<AuditReport> VerifyAsync(CancellationToken cancellationToken) =>
        await _verifier.VerifyAsync(await CheckpointsAsync(cancellationToken), cancellationToken);

    /// <summary>The checkpoints verification holds the chain to, oldest first.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken)
    {
        if (_checkpoints.Folder is { } folder)
        {
            return folder.ReadAll(new List<string>());
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await AuditCheckpointWriter.StoredAsync(connection, cancellationToken);
    }

    /// <summary>Signs a checkpoint now; null when nothing was appended since the last, or when this gateway holds no signing key.</summary>
    public Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken) =>
        _checkpoints.Writer?.CheckpointAsync(cancellationToken) ?? Task.FromResult<AuditCheckpoint?>(null);

    public bool CanSign => _checkpoints.Writer is not null;

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            "SELECT seq, at, principal, action, target, outcome, request_digest, encode(hash, 'hex'), trace_id " +
            "FROM galaxy_audit WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = afterSeq });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return records;
    }
}

public sealed record AuditRecord(
    long Seq, DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest, string Hash, string? TraceId);
