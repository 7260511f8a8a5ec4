using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Bench;

/// <summary>
/// A database of its own for one benchmark run, on the server <c>./galaxy bench</c> provisions
/// (<c>GALAXY_CONNECTION_STRING</c>), with Galaxy's schema; dropped when disposed.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private ScratchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string purpose)
    {
        var server = Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable)
            ?? throw new InvalidOperationException($"{GalaxyConnection.EnvironmentVariable} is not set: run benchmarks with ./galaxy bench.");
        var database = new ScratchDatabase(server, $"galaxy_bench_{purpose}_{Guid.NewGuid():N}"[..48]);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        await new SchemaMigrator().ApplyAsync(database.ConnectionString);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
