using Galaxy.Persistence;
using Galaxy.Registry.Monitoring;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>
/// A fresh database for the monitoring stores, connected as the roles that use them in production: the silo (the
/// monitor and the webhook dispatcher) and the gateway (reports, thresholds, acknowledgements); the owner makes the
/// models the rows refer to. The clock is a <see cref="FakeTimeProvider"/> each test moves itself.
/// </summary>
public sealed class MonitoringDatabase : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private int _sequence;

    public NpgsqlDataSource Owner { get; private set; } = null!;

    public NpgsqlDataSource Silo { get; private set; } = null!;

    public NpgsqlDataSource Gateway { get; private set; } = null!;

    public ModelRegistry Models { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Owner = NpgsqlDataSource.Create(_database.ConnectionString);
        Silo = NpgsqlDataSource.Create(_database.ConnectionStringAs(DatabaseRoles.Silo));
        Gateway = NpgsqlDataSource.Create(_database.ConnectionStringAs(DatabaseRoles.Gateway));
        Models = new ModelRegistry(Owner, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await Owner.DisposeAsync();
        await Silo.DisposeAsync();
        await Gateway.DisposeAsync();
        await _database.DisposeAsync();
    }

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => _database.ScalarAsync<T>(sql, parameters);

    /// <summary>A new model with one version, named uniquely.</summary>
    public async Task<ModelInfo> NewModelAsync(string prefix)
    {
        var model = await Models.CreateModelAsync(
            $"{prefix}-{Interlocked.Increment(ref _sequence)}", "", new Dictionary<string, string>(), RegistryDatabase.Actor, CancellationToken.None);
        await Models.CreateVersionAsync(model.Id, RegistryDatabase.TinyVersion(), RegistryDatabase.Actor, CancellationToken.None);
        return model;
    }

    /// <summary>The audit rows of one alert, oldest first: (principal, action, target).</summary>
    public async Task<List<(string Principal, string Action, string Target)>> AuditOfAsync(Guid alertId)
    {
        await using var command = Owner.CreateCommand(
            "SELECT principal, action, target FROM galaxy_audit WHERE target LIKE $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = $"alerts/{alertId} %" });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public static VersionInterval Interval(
        ModelInfo model, DateTimeOffset end, long requests, double? p95 = null, long feedback = 0, long correct = 0, int seconds = 10) => new(
        model.Id, model.Name, 1, end.AddSeconds(-seconds), end, requests, 0, p95 / 2, p95, p95 * 1.2, new long[208] /* LatencyHistogram.Buckets */, feedback, correct);
}
