using Galaxy.Grains;
using Galaxy.Persistence.GroupCommit;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Galaxy.Silo;

/// <summary>
/// Reads a range of units' state rows in one query, straight from the table the grain storage writes, decoding them
/// with the same serializer the storage uses. A few reads run at once: when every labscape activates together (the
/// first tick, a cold start), hundreds of simultaneous connection opens would only queue inside PostgreSQL.
/// </summary>
internal sealed class PostgresUnitStateSource(
    NpgsqlDataSource database,
    IOptions<ClusterOptions> cluster,
    OrleansGrainStorageSerializer serializer) : IUnitStateSource
{
    private const string Query = """
        SELECT PayloadBinary FROM OrleansStorage
        WHERE ServiceId = $1 AND GrainTypeString = $2 AND GrainIdN0 = 0 AND GrainIdN1 BETWEEN $3 AND $4
          AND PayloadBinary IS NOT NULL
        """;

    private readonly SemaphoreSlim _concurrentReads = new(4);

    public async Task<IReadOnlyList<UnitState>> ReadRangeAsync(long firstUnitId, int count, CancellationToken cancellationToken)
    {
        await _concurrentReads.WaitAsync(cancellationToken);
        try
        {
            return await ReadAsync(firstUnitId, count, cancellationToken);
        }
        catch (Exception exception) when (StorageUnavailableException.IsOutage(exception))
        {
            throw StorageUnavailableException.ForRead($"units {firstUnitId}…{firstUnitId + count - 1}", exception);
        }
        finally
        {
            _concurrentReads.Release();
        }
    }

    private async Task<IReadOnlyList<UnitState>> ReadAsync(long firstUnitId, int count, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(Query);
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = UnitState.StateName });
        command.Parameters.Add(new NpgsqlParameter { Value = firstUnitId });
        command.Parameters.Add(new NpgsqlParameter { Value = firstUnitId + count - 1 });
        var units = new List<UnitState>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            units.Add(serializer.Deserialize<UnitState>(new BinaryData(reader.GetFieldValue<byte[]>(0)))
                ?? throw new InvalidOperationException("A unit state row decoded to nothing."));
        }

        return units;
    }
}
