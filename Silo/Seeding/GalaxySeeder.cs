using Galaxy.Grains;
using Galaxy.Persistence.Bulk;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace Galaxy.Silo.Seeding;

/// <summary>
/// Writes every unit's and labscape's initial state straight into the state table, a labscape at a time, in the
/// Orleans binary format the storage providers read. Only missing rows are written, so seeding is idempotent, and an
/// interrupted run resumes where it stopped; rows that grains have since changed are never touched.
/// </summary>
public sealed class GalaxySeeder : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly ServiceProvider _services;
    private readonly Serializer _serializer;
    private readonly StateRowLoader _rows;
    private readonly GalaxyTopology _topology;
    private readonly BatchingSettings _batching;
    private readonly TimeProvider _clock;

    public GalaxySeeder(string connectionString, string serviceId, GalaxyTopology topology, BatchingSettings batching, TimeProvider clock)
    {
        _database = NpgsqlDataSource.Create(connectionString);
        _services = new ServiceCollection()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(UnitState).Assembly))
            .BuildServiceProvider();
        _serializer = _services.GetRequiredService<Serializer>();
        _rows = new StateRowLoader(_database, serviceId);
        _topology = topology;
        _batching = batching;
        _clock = clock;
    }

    /// <summary>Seeds one labscape and its units; returns how many unit rows it wrote (0 when they all existed).</summary>
    public async Task<int> SeedLabscapeAsync(int labscapeId, CancellationToken cancellationToken)
    {
        var units = _topology.UnitsPerLabscape;
        var firstUnit = (long)labscapeId * units;
        var now = _clock.GetUtcNow();
        var written = 0;
        if (await _rows.CountAsync(UnitState.StateName, firstUnit, firstUnit + units - 1, cancellationToken) < units)
        {
            var rows = new (long Key, byte[] Payload)[units];
            for (var slot = 0; slot < units; slot++)
            {
                var unitId = firstUnit + slot;
                rows[slot] = (unitId, _serializer.SerializeToArray(Seeds.Unit(unitId, _topology, now)));
            }

            written = await _rows.InsertMissingAsync(UnitState.StateName, rows, cancellationToken);
        }

        if (await _rows.CountAsync(LabscapeState.StateName, labscapeId, labscapeId, cancellationToken) == 0)
        {
            var labscape = _serializer.SerializeToArray(Seeds.Labscape(labscapeId, _topology, _batching, now));
            await _rows.InsertMissingAsync(LabscapeState.StateName, [(labscapeId, labscape)], cancellationToken);
        }

        return written;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }
}
