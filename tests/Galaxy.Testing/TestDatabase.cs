using Galaxy.Persistence;
using Npgsql;
using Xunit;

namespace Galaxy.Testing;

/// <summary>
/// A fresh PostgreSQL database with Galaxy's schema, created on the server that <c>./galaxy test</c> (or
/// <c>./galaxy bench</c>) provisions and names in <c>GALAXY_CONNECTION_STRING</c>, and dropped afterwards. Use it as
/// an xunit class or collection fixture, or with <see cref="CreateAsync"/> and <c>await using</c>.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime, IAsyncDisposable
{
    private string? _server;

    /// <summary>
    /// A database on another server than <c>./galaxy test</c>'s (a private one a test may back up and restore). A
    /// factory, since xunit builds a fixture through its one public constructor.
    /// </summary>
    public static TestDatabase OnServer(string serverConnectionString) => new() { _server = serverConnectionString };

    private string ServerConnectionString => _server ??= FindServerConnectionString();

    public string Name { get; } = $"galaxy_test_{Guid.NewGuid():N}";

    /// <summary>The connection string of the fresh database, as the server's superuser: for tests that play the attacker.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;

    /// <summary>The fresh database as one of Galaxy's roles (<see cref="DatabaseRoles"/>), with exactly that role's privileges.</summary>
    public string ConnectionStringAs(string role) => TestRoles.As(ConnectionString, role);

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        return database;
    }

    public async Task InitializeAsync()
    {
        await TestRoles.EnsureAsync(ServerConnectionString);
        await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\" OWNER {DatabaseRoles.Owner}");
        await new SchemaMigrator().ApplyAsync(ConnectionStringAs(DatabaseRoles.Owner));
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string FindServerConnectionString()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        throw new InvalidOperationException(
            $"{GalaxyConnection.EnvironmentVariable} is not set: run the tests with ./galaxy test (benchmarks with ./galaxy bench), or export it (./galaxy db url prints it).");
    }
}
