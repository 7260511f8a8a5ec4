using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Galaxy.Registry.Protection;

/// <summary>
/// Envelope encryption for what the registry stores in bulk: every dataset and every model version gets a data key of its
/// own (AES-256, random), which seals its values with AES-256-GCM and is stored in <c>galaxy_data_keys</c> only wrapped by
/// the active key-encryption key (schema 0011). Each sealed value is bound to its row and column (the GCM associated
/// data), so a ciphertext moved to another row does not open. Unwrapped data keys are cached in memory.
/// </summary>
public sealed class DataProtector
{
    private readonly Dictionary<string, IKeyEncryptionKey> _keys;
    private readonly ConcurrentDictionary<Guid, byte[]> _dataKeys = new();

    public DataProtector(IEnumerable<IKeyEncryptionKey> keys, string? activeKeyId)
    {
        _keys = keys.ToDictionary(key => key.Id, StringComparer.Ordinal);
        Active = activeKeyId is null ? _keys.Values.FirstOrDefault() : _keys[activeKeyId];
    }

    /// <summary>The KEK that wraps new data keys; null when none is configured (values are stored in plaintext).</summary>
    public IKeyEncryptionKey? Active { get; }

    public bool Enabled => Active is not null;

    /// <summary>From <c>Galaxy:DataProtection</c>; warns when nothing will be encrypted.</summary>
    public static DataProtector Create(IOptions<DataProtectionOptions> options, ILogger<DataProtector>? logger = null)
    {
        var protection = options.Value;
        var protector = new DataProtector(protection.KeyEncryptionKeys.Select(LocalKeyEncryptionKey.From), protection.ActiveKeyId);
        if (!protector.Enabled)
        {
            (logger ?? NullLogger<DataProtector>.Instance).LogWarning(
                "No key-encryption key is configured (Galaxy:DataProtection:KeyEncryptionKeys): datasets and model weights are stored unencrypted.");
        }

        return protector;
    }

    /// <summary>A new data key, wrapped and added to <c>galaxy_data_keys</c> in the caller's transaction.</summary>
    public async Task<Guid> NewDataKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kek = Active ?? throw new InvalidOperationException("No key-encryption key is configured.");
        var id = Guid.CreateVersion7();
        var dataKey = RandomNumberGenerator.GetBytes(32);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO galaxy_data_keys (id, kek_id, wrapped, created_at) VALUES ($1, $2, $3, $4)", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = id });
        insert.Parameters.Add(new NpgsqlParameter { Value = kek.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = kek.Wrap(dataKey, WrapContext(id)) });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        _dataKeys[id] = dataKey;
        return id;
    }

    /// <summary>Seals <paramref name="plaintext"/> under data key <paramref name="dataKeyId"/>, for the value named <paramref name="context"/>.</summary>
    public async Task<byte[]> SealAsync(NpgsqlConnection connection, Guid dataKeyId, ReadOnlyMemory<byte> plaintext, string context, CancellationToken cancellationToken) =>
        AesGcmSeal.Seal(await DataKeyAsync(connection, dataKeyId, cancellationToken), plaintext.Span, Encoding.UTF8.GetBytes(context));

    /// <exception cref="CryptographicException">The value, its context or its data key was altered, or no configured KEK wrapped the key.</exception>
    public async Task<byte[]> OpenAsync(NpgsqlConnection connection, Guid dataKeyId, byte[] sealedValue, string context, CancellationToken cancellationToken) =>
        AesGcmSeal.Open(await DataKeyAsync(connection, dataKeyId, cancellationToken), sealedValue, Encoding.UTF8.GetBytes(context));

    /// <summary>
    /// Rewraps every data key not wrapped by the active KEK with it, each in its own short transaction, so that the
    /// registry keeps reading and writing meanwhile. Returns how many it rewrapped.
    /// </summary>
    public async Task<int> RewrapAsync(NpgsqlDataSource database, TimeProvider time, CancellationToken cancellationToken)
    {
        var active = Active ?? throw new InvalidOperationException("No key-encryption key is configured.");
        var rewrapped = 0;
        while (true)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var next = new NpgsqlCommand(
                "SELECT id, kek_id, wrapped FROM galaxy_data_keys WHERE kek_id <> $1 LIMIT 1 FOR UPDATE SKIP LOCKED", connection, transaction);
            next.Parameters.Add(new NpgsqlParameter { Value = active.Id });
            Guid id;
            byte[] dataKey;
            await using (var reader = await next.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return rewrapped;
                }

                id = reader.GetGuid(0);
                var kekId = reader.GetString(1);
                var wrapping = _keys.GetValueOrDefault(kekId)
                    ?? throw new InvalidOperationException($"Data key {id} is wrapped by key-encryption key '{kekId}', which is not configured: keep it configured until the rotation ends.");
                dataKey = wrapping.Unwrap(reader.GetFieldValue<byte[]>(2), WrapContext(id));
            }

            await using var update = new NpgsqlCommand(
                "UPDATE galaxy_data_keys SET kek_id = $2, wrapped = $3, rewrapped_at = $4 WHERE id = $1", connection, transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            update.Parameters.Add(new NpgsqlParameter { Value = active.Id });
            update.Parameters.Add(new NpgsqlParameter { Value = active.Wrap(dataKey, WrapContext(id)) });
            update.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            await update.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            rewrapped++;
        }
    }

    private async Task<byte[]> DataKeyAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken)
    {
        if (_dataKeys.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var select = new NpgsqlCommand("SELECT kek_id, wrapped FROM galaxy_data_keys WHERE id = $1", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new CryptographicException($"Data key {id} does not exist.");
        }

        var kekId = reader.GetString(0);
        var kek = _keys.GetValueOrDefault(kekId)
            ?? throw new CryptographicException($"Data key {id} is wrapped by key-encryption key '{kekId}', which is not configured here.");
        return _dataKeys[id] = kek.Unwrap(reader.GetFieldValue<byte[]>(1), WrapContext(id));
    }

    // A wrapped data key opens only as the key of its own row.
    private static byte[] WrapContext(Guid id) => Encoding.UTF8.GetBytes($"galaxy_data_keys:{id}");
}
