using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// API keys for inference clients, in PostgreSQL as SHA-256 digests: the key itself is shown once, at creation.
/// Lookups are cached for <see cref="GuardianOptions.ApiKeyCacheSeconds"/> so that predicts do not pay a query each;
/// a revocation evicts at once on the gateway that made it, and elsewhere when the cache entry expires.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource database, IMemoryCache cache, IOptions<GuardianOptions> options, TimeProvider time)
{
    private const string KeyPrefix = "gxk_";

    /// <summary>Creates a key straight in the database, for tools and benchmarks that have the connection string.</summary>
    public static async Task<IssuedApiKey> CreateAsync(string connectionString, string name, string createdBy, CancellationToken cancellationToken = default)
    {
        await using var database = NpgsqlDataSource.Create(connectionString);
        using var cache = new MemoryCache(new MemoryCacheOptions());
        return await new ApiKeyStore(database, cache, Options.Create(new GuardianOptions()), TimeProvider.System)
            .CreateAsync(name, createdBy, cancellationToken);
    }

    public async Task<IssuedApiKey> CreateAsync(string name, string createdBy, CancellationToken cancellationToken)
    {
        var key = Secrets.NewToken(KeyPrefix);
        var info = new ApiKeyInfo(Guid.CreateVersion7(), name, createdBy, time.GetUtcNow(), null);
        await using var command = database.CreateCommand(
            "INSERT INTO galaxy_api_keys (id, name, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = info.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = Secrets.Digest(key) });
        command.Parameters.Add(new NpgsqlParameter { Value = createdBy });
        command.Parameters.Add(new NpgsqlParameter { Value = info.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new IssuedApiKey(info, key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT id, name, created_by, created_at, revoked_at FROM galaxy_api_keys ORDER BY created_at");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>Revokes a key; false when no unrevoked key has that id.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "UPDATE galaxy_api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING key_hash");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        if (await command.ExecuteScalarAsync(cancellationToken) is not byte[] digest)
        {
            return false;
        }

        cache.Remove(CacheKey(digest));
        return true;
    }

    /// <summary>The unrevoked key a caller presented, or null.</summary>
    public async ValueTask<ApiKeyInfo?> FindActiveAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var digest = Secrets.Digest(key);
        var cacheKey = CacheKey(digest);
        if (cache.TryGetValue(cacheKey, out ApiKeyInfo? cached))
        {
            return cached;
        }

        await using var command = database.CreateCommand(
            "SELECT id, name, created_by, created_at, revoked_at FROM galaxy_api_keys WHERE key_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = digest });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var info = Read(reader);
        cache.Set(cacheKey, info, TimeSpan.FromSeconds(options.Value.ApiKeyCacheSeconds));
        return info;
    }

    private static string CacheKey(byte[] digest) => "api-key:" + Convert.ToHexString(digest);

    private static ApiKeyInfo Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
}

/// <summary>What the gateway shows of a key: everything but the key.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new key and the one time its secret is shown.</summary>
public sealed record IssuedApiKey(ApiKeyInfo Info, string Key);
