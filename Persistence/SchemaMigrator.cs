using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Galaxy.Persistence;

/// <summary>
/// Applies the embedded <c>Schema/NNNN_name.sql</c> scripts in order, each once, recording them in
/// <c>galaxy_schema_history</c>. Safe to run from every silo at once: one transaction under an advisory lock.
/// </summary>
public sealed class SchemaMigrator(ILogger<SchemaMigrator>? logger = null)
{
    private const string ResourcePrefix = "Galaxy.Schema.";

    // An arbitrary constant shared by every Galaxy process: concurrent migrators queue on it.
    private const long AdvisoryLockKey = 0x6A1A_5C0E_0001;

    private readonly ILogger _logger = logger ?? NullLogger<SchemaMigrator>.Instance;

    /// <summary>The scripts this build carries, in the order they apply.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadScripts();

    /// <summary>
    /// Brings the database up to this build's schema; returns the scripts it applied (none when current). A database
    /// already current is only read, so processes that connect as roles without DDL rights (schema 0010) can call this
    /// at start; a database behind needs the owner's connection (<see cref="DatabaseRoles.Owner"/>).
    /// </summary>
    public async Task<IReadOnlyList<SchemaScript>> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (await IsCurrentAsync(connection, cancellationToken))
        {
            return [];
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS galaxy_schema_history
            (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                sha256     text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var applied = await ReadHistoryAsync(connection, transaction, cancellationToken);
        var newlyApplied = new List<SchemaScript>();
        foreach (var script in Scripts)
        {
            if (applied.TryGetValue(script.Version, out var recordedHash))
            {
                if (recordedHash != script.Sha256)
                {
                    _logger.LogWarning(
                        "Schema script {Name} differs from the version applied to this database; it is not re-applied.",
                        script.Name);
                }

                continue;
            }

            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using var record = new NpgsqlCommand(
                "INSERT INTO galaxy_schema_history (version, name, sha256) VALUES ($1, $2, $3)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Sha256 });
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(script);
            _logger.LogInformation("Applied schema script {Name}.", script.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    private static async Task<bool> IsCurrentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('galaxy_schema_history') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        var applied = await ReadHistoryAsync(connection, null, cancellationToken);
        return Scripts.All(script => applied.ContainsKey(script.Version));
    }

    private static async Task<Dictionary<int, string>> ReadHistoryAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var history = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, sha256 FROM galaxy_schema_history", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history[reader.GetInt32(0)] = reader.GetString(1);
        }

        return history;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<SchemaScript> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => SchemaScript.Load(assembly, name, name[ResourcePrefix.Length..^".sql".Length]))
            .OrderBy(script => script.Version)
            .ToList();
    }
}

/// <summary>One versioned schema script: <c>NNNN_description.sql</c>.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql, string Sha256)
{
    internal static SchemaScript Load(Assembly assembly, string resourceName, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded schema script {resourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sql = reader.ReadToEnd();
        var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), provider: null);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new SchemaScript(version, name, sql, hash);
    }
}
