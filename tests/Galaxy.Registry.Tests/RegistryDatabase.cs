using System.Text;
using Npgsql;

namespace Galaxy.Registry.Tests;

/// <summary>
/// A fresh database with Galaxy's schema, and the registry and dataset store on it, shared by one test class. Tests
/// name what they create uniquely, so they can share it.
/// </summary>
public sealed class RegistryDatabase : IAsyncLifetime
{
    public const string Actor = "tester";

    private readonly TestDatabase _database = new();
    private int _sequence;

    public NpgsqlDataSource Source { get; private set; } = null!;

    public ModelRegistry Models { get; private set; } = null!;

    public DatasetStore Datasets { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Source = NpgsqlDataSource.Create(_database.ConnectionString);
        Models = new ModelRegistry(Source, TimeProvider.System);
        Datasets = new DatasetStore(Source, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await Source.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A name no other test of this database has used.</summary>
    public string UniqueName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _sequence)}";

    public Task<ModelInfo> NewModelAsync(string prefix) =>
        Models.CreateModelAsync(UniqueName(prefix), "", new Dictionary<string, string>(), Actor, CancellationToken.None);

    /// <summary>Registers a small version (2-3-2) of <paramref name="model"/>; <paramref name="seed"/> varies its weights.</summary>
    public Task<ModelVersion> NewVersionAsync(Guid model, int seed = 0, VersionLineage? lineage = null) =>
        Models.CreateVersionAsync(model, TinyVersion(seed, lineage), Actor, CancellationToken.None);

    public static NewModelVersion TinyVersion(int seed = 0, VersionLineage? lineage = null) => new(
        2, 3, 2, "CrossEntropy", Enumerable.Range(0, 17).Select(i => (i + seed) / 16f).ToArray(), new Preprocessing([1f, -2f], [0.5f, 0.25f]),
        ["no", "yes"], ["x", "y"], new Dictionary<string, double> { ["accuracy"] = 0.5 + seed / 1000.0 },
        lineage ?? new VersionLineage(null, null, null, null, "registered"));

    /// <summary>Registers a dataset of a few rows whose content only this call has.</summary>
    public async Task<DatasetInfo> NewDatasetAsync(string prefix)
    {
        var name = UniqueName(prefix);
        var (table, bytes) = await ParseAsync($"a,b,label\n1,2,{name}\n3,4,other\n");
        return await Datasets.RegisterAsync(name, table, bytes, Actor, CancellationToken.None);
    }

    public static Task<(DatasetTable Table, long Bytes)> ParseAsync(string csv, string label = "label") =>
        CsvDataset.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), label, 1 << 20, CancellationToken.None);

    /// <summary>The audit rows of <paramref name="action"/> whose target starts with <paramref name="targetPrefix"/>, oldest first.</summary>
    public async Task<List<AuditRow>> AuditRowsAsync(string action, string targetPrefix)
    {
        await using var command = Source.CreateCommand(
            "SELECT principal, action, target, outcome, request_digest FROM galaxy_audit WHERE action = $1 AND starts_with(target, $2) ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        command.Parameters.Add(new NpgsqlParameter { Value = targetPrefix });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
        }

        return rows;
    }

    /// <summary><c>galaxy_audit_verify()</c>: null when the chain is intact, else why not.</summary>
    public async Task<string?> AuditChainFaultAsync()
    {
        await using var command = Source.CreateCommand("SELECT broken_seq, reason FROM galaxy_audit_verify()");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.IsDBNull(0) ? null : $"row {reader.GetInt64(0)}: {reader.GetString(1)}";
    }
}

public sealed record AuditRow(string Principal, string Action, string Target, int Outcome, string RequestDigest);
