using System.Globalization;
using Npgsql;

namespace Galaxy.Operations.Postgres;

/// <summary>What a backup needs to know about the server it backs up, read over an ordinary connection.</summary>
public sealed record ServerFacts(
    int MajorVersion,
    string Version,
    ulong SystemIdentifier,
    int Timeline,
    bool IsSuperuser,
    bool CanReplicate,
    bool InRecovery,
    string WalLevel,
    string ArchiveMode,
    string ArchiveCommand,
    int ArchiveTimeoutSeconds,
    long WalSegmentBytes)
{
    public static async Task<ServerFacts> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT current_setting('server_version_num')::int / 10000,
                   current_setting('server_version'),
                   (SELECT system_identifier FROM pg_control_system())::text,
                   (SELECT timeline_id FROM pg_control_checkpoint()),
                   r.rolsuper, r.rolreplication,
                   pg_is_in_recovery(),
                   current_setting('wal_level'),
                   current_setting('archive_mode'),
                   current_setting('archive_command'),
                   current_setting('archive_timeout'),
                   (SELECT setting::bigint * CASE unit WHEN 'B' THEN 1 WHEN 'kB' THEN 1024 WHEN '8kB' THEN 8192 ELSE 1048576 END
                    FROM pg_settings WHERE name = 'wal_segment_size')
            FROM pg_roles r WHERE r.rolname = current_user
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ServerFacts(
            reader.GetInt32(0), reader.GetString(1), ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture), reader.GetInt32(3),
            reader.GetBoolean(4), reader.GetBoolean(4) || reader.GetBoolean(5), reader.GetBoolean(6), reader.GetString(7), reader.GetString(8),
            reader.GetString(9), ParseSeconds(reader.GetString(10)), reader.GetInt64(11));
    }

    /// <summary>Opens a connection, turning "cannot connect" into a message that names the server.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            throw new OperationsException($"Cannot reach PostgreSQL at {target.Host}:{target.Port} (database {target.Database}): {exception.Message}", exception);
        }
    }

    // archive_timeout reads back as "1min", "30s" or "0".
    internal static int ParseSeconds(string setting)
    {
        var digits = new string(setting.TakeWhile(char.IsDigit).ToArray());
        var value = digits.Length == 0 ? 0 : int.Parse(digits, CultureInfo.InvariantCulture);
        return setting[digits.Length..] switch
        {
            "min" => value * 60,
            "h" => value * 3600,
            "ms" => value / 1000,
            _ => value,
        };
    }
}
