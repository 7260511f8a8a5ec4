using Npgsql;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Refresh tokens in PostgreSQL, stored as SHA-256 digests. Each is good once: redeeming one marks it used and issues
/// its successor in the same family, in one transaction. A used or revoked token presented again means it leaked, so
/// the whole family is revoked and its holder, legitimate or not, must sign in again.
/// </summary>
internal sealed class RefreshTokenStore(NpgsqlDataSource database, TimeProvider time)
{
    public async Task<string> IssueAsync(string account, Guid familyId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await InsertAsync(connection, null, account, familyId, lifetime, cancellationToken);
    }

    public async Task<Redemption> RedeemAsync(string token, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var find = new NpgsqlCommand(
            "SELECT id, family_id, account, expires_at, used_at IS NOT NULL OR revoked_at IS NOT NULL " +
            "FROM galaxy_refresh_tokens WHERE token_hash = $1 FOR UPDATE", connection, transaction);
        find.Parameters.Add(new NpgsqlParameter { Value = Secrets.Digest(token) });
        Guid id, familyId;
        string account;
        DateTimeOffset expiresAt;
        bool spent;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return Redemption.Refused(RedemptionFailure.Unknown);
            }

            (id, familyId, account, expiresAt, spent) =
                (reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4));
        }

        var now = time.GetUtcNow();
        if (spent)
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE galaxy_refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL", cancellationToken, familyId, now);
            await transaction.CommitAsync(cancellationToken);
            return Redemption.Refused(RedemptionFailure.Reused);
        }

        if (expiresAt <= now)
        {
            return Redemption.Refused(RedemptionFailure.Expired);
        }

        await ExecuteAsync(connection, transaction, "UPDATE galaxy_refresh_tokens SET used_at = $2 WHERE id = $1", cancellationToken, id, now);
        var successor = await InsertAsync(connection, transaction, account, familyId, lifetime, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Redemption(account, familyId, successor, null);
    }

    private async Task<string> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string account, Guid familyId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = Secrets.NewToken("gxr_");
        var now = time.GetUtcNow();
        await ExecuteAsync(connection, transaction,
            "INSERT INTO galaxy_refresh_tokens (id, family_id, account, token_hash, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken, Guid.CreateVersion7(), familyId, account, Secrets.Digest(token), now, now + lifetime);
        return token;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public enum RedemptionFailure
{
    Unknown,
    Expired,
    Reused,
}

/// <summary>A redeemed refresh token: the account and its successor token, or why it was refused.</summary>
internal sealed record Redemption(string? Account, Guid FamilyId, string? Successor, RedemptionFailure? Failure)
{
    public static Redemption Refused(RedemptionFailure failure) => new(null, Guid.Empty, null, failure);
}
