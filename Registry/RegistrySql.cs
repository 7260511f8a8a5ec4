using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Galaxy.Registry;

/// <summary>The registry's small SQL plumbing: transactions, positional parameters, jsonb values, pages.</summary>
internal static class RegistrySql
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; a throw rolls everything back.</summary>
    public static async Task<T> InTransactionAsync<T>(
        this NpgsqlDataSource database, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>A command with <c>$1 … $n</c> bound to <paramref name="values"/> (null as SQL NULL; an <see cref="NpgsqlParameter"/> as itself).</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }

        return command;
    }

    public static NpgsqlParameter Jsonb<T>(T value) =>
        new() { Value = JsonSerializer.Serialize(value, Json), NpgsqlDbType = NpgsqlDbType.Jsonb };

    /// <summary>A jsonb parameter from JSON text as it is.</summary>
    public static NpgsqlParameter JsonbText(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    public static T FromJson<T>(NpgsqlDataReader reader, int ordinal) => JsonSerializer.Deserialize<T>(reader.GetString(ordinal), Json)!;

    /// <summary>The first row <paramref name="sql"/> returns, read by <paramref name="read"/>; default when none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : default;
    }

    public static async Task<List<T>> ReadAllAsync<T>(
        NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, null, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>
    /// One page of <c>SELECT {columns} FROM {from} WHERE {where} ORDER BY {orderBy}</c> and the count of every match,
    /// in one round trip. <paramref name="values"/> bind <c>$1 … $n</c> of <paramref name="where"/>.
    /// </summary>
    public static async Task<Page<T>> ReadPageAsync<T>(
        NpgsqlDataSource database, string columns, string from, string where, string orderBy, object?[] values,
        int offset, int limit, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        Paging.EnsureValid(offset, limit);
        await using var batch = database.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM {from} WHERE {where}");
        var page = new NpgsqlBatchCommand(
            $"SELECT {columns} FROM {from} WHERE {where} ORDER BY {orderBy} OFFSET ${values.Length + 1} LIMIT ${values.Length + 2}");
        foreach (var value in values)
        {
            count.Parameters.Add(Parameter(value));
            page.Parameters.Add(Parameter(value));
        }

        page.Parameters.Add(Parameter(offset));
        page.Parameters.Add(Parameter(limit));
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<T>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(read(reader));
        }

        return new Page<T>(items, offset, limit, total);
    }

    public static bool IsUniqueViolation(this PostgresException exception, string constraint) =>
        exception.SqlState == PostgresErrorCodes.UniqueViolation && exception.ConstraintName == constraint;

    // A jsonb parameter arrives as a parameter already; it cannot be shared between commands, so each gets a copy.
    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        NpgsqlParameter parameter => parameter.Clone(),
        null => new NpgsqlParameter { Value = DBNull.Value },
        _ => new NpgsqlParameter { Value = value },
    };
}
